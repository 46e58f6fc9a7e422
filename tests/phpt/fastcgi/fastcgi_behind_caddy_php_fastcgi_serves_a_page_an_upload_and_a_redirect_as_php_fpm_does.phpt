--TEST--
Behind Debian's Caddy 2 with its php_fastcgi directive (its own try_files to index.php, the path split at .php), folk's classic mode over FastCGI gives a client what php-fpm gives: a page's $_SERVER keys and $_GET (also with a path info, and a front-controller route rewritten to index.php), $_POST and $_FILES of a 300 KB multipart upload, and a 302 with its Location
--SKIPIF--
<?php require __DIR__ . "/../../fixtures/caddy_reference.php"; if ($why = caddy_reference_unavailable()) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/caddy_reference.php';
$dump = '<?php
$keys = ["SCRIPT_FILENAME", "SCRIPT_NAME", "PATH_INFO", "PHP_SELF", "REQUEST_URI", "QUERY_STRING", "DOCUMENT_ROOT",
    "REQUEST_METHOD", "SERVER_PROTOCOL", "CONTENT_TYPE"];
$seen = [];
foreach ($keys as $k) $seen[$k] = array_key_exists($k, $_SERVER) ? $_SERVER[$k] : "(absent)";
$seen["HTTPS"] = array_key_exists("HTTPS", $_SERVER) ? "present: " . $_SERVER["HTTPS"] : "(absent)";
$seen["_GET"] = $_GET;
echo json_encode($seen, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES);';
$both = caddy_fpm_and_folk([
    's.php' => $dump,
    'index.php' => $dump,
    'up.php' => '<?php
$files = [];
foreach ($_FILES as $k => $f) $files[$k] = ["name" => $f["name"], "type" => $f["type"], "error" => $f["error"], "size" => $f["size"],
    "md5" => is_uploaded_file($f["tmp_name"]) ? md5_file($f["tmp_name"]) : "not uploaded"];
echo json_encode(["_POST" => $_POST, "_FILES" => $files], JSON_PRETTY_PRINT);',
    'redirect.php' => '<?php header("Location: /other"); echo "moved";',
]);
$root = $both['root'];

/** Says when php-fpm's own answer is not what the request asks for: "same" must not mean "both broken". */
function reference_check(string $what, bool $ok, array $answer): void
{
    if (!$ok) echo "reference (php-fpm) answered $what wrongly:\n", fpm_normalise($answer);
}

// path => [the script php-fpm must run, its PATH_INFO, its $_GET]
$pages = [
    '/s.php?a=1&b=two' => ['s.php', '', ['a' => '1', 'b' => 'two']],
    '/s.php/extra?x=1' => ['s.php', '/extra', ['x' => '1']],
    '/some/route?page=2' => ['index.php', '', ['page' => '2']],
];
foreach ($pages as $path => [$script, $path_info, $get]) {
    $a = fpm_and_folk_request($both, 'GET', $path);
    $s = json_decode($a['fpm'][2], true);
    reference_check("GET $path", $a['fpm'][0] === 200 && ($s['SCRIPT_FILENAME'] ?? null) === "$root/$script"
        && $s['SCRIPT_NAME'] === "/$script" && $s['PATH_INFO'] === $path_info && $s['REQUEST_URI'] === $path
        && $s['_GET'] === $get, $a['fpm']);
    fpm_compare("GET $path", $a, behind: 'Caddy');
}

$file = random_bytes(300 * 1024);
[$body, $headers] = folk_multipart(['title' => 'hello upload'], ['doc' => ['big.bin', 'application/octet-stream', $file]]);
$a = fpm_and_folk_request($both, 'POST', '/up.php', $headers, $body);
$u = json_decode($a['fpm'][2], true);
reference_check('the upload', ($u['_FILES']['doc']['md5'] ?? null) === md5($file) && $u['_FILES']['doc']['size'] === strlen($file)
    && $u['_POST'] === ['title' => 'hello upload'], $a['fpm']);
fpm_compare('POST /up.php (multipart, 300 KB file)', $a, behind: 'Caddy');

$a = fpm_and_folk_request($both, 'GET', '/redirect.php');
reference_check('the redirect', $a['fpm'][0] === 302 && ($a['fpm'][1]['location'] ?? null) === ['/other'], $a['fpm']);
fpm_compare('GET /redirect.php (Location: /other)', $a, behind: 'Caddy');

fpm_front_and_folk_stop($both);
?>
--EXPECT--
same: GET /s.php?a=1&b=two
same: GET /s.php/extra?x=1
same: GET /some/route?page=2
same: POST /up.php (multipart, 300 KB file)
same: GET /redirect.php (Location: /other)
