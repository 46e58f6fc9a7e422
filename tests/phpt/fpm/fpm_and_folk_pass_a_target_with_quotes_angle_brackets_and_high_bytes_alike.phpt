--TEST--
folk and php-fpm + nginx take a request target sent with raw ", <, >, `, a fragment or bytes over 0x7F alike: REQUEST_URI and QUERY_STRING as sent, $_GET decoded, PATH_INFO from the path (bytes that are not UTF-8 reach folk's REQUEST_URI and QUERY_STRING percent-encoded, docs/CLASSIC.md)
--SKIPIF--
<?php require __DIR__ . "/../../fixtures/fpm_reference.php"; if ($why = fpm_reference_unavailable()) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/fpm_reference.php';
$dump = '<?php foreach (["REQUEST_URI", "QUERY_STRING", "SCRIPT_NAME", "PATH_INFO", "PHP_SELF"] as $k) echo $k, "=", bin2hex($_SERVER[$k] ?? "(none)"), "\n";
foreach ($_GET as $k => $v) echo "GET ", bin2hex($k), "=", bin2hex(is_array($v) ? json_encode($v) : $v), "\n";';
$both = fpm_and_folk(['s.php' => $dump, 'index.php' => $dump]);
// Sent as they are: folk_http writes the target into the request line unencoded.
$same = [
    '/s.php?a="x"&b=<y>&c=`z`&d[]=<1>',
    "/s.php?q=\xC3\xA9t\xC3\xA9",
    '/s.php/<p>`?a=1',
    '/s.php?a=1#frag',
    '/s.php/a#b?c',
    '/no/route<x>?"q"=1',
];
foreach ($same as $target) {
    fpm_compare(json_encode($target, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), fpm_and_folk_request($both, 'GET', $target));
}
// Not UTF-8: $_GET is the same; folk's REQUEST_URI and QUERY_STRING hold the bytes percent-encoded.
$a = fpm_and_folk_request($both, 'GET', "/s.php?c=\xE9&d=\xFF\xFE&e=%\xE9");
$only = fn(array $answer, string $prefix) => implode("\n", preg_grep("/^$prefix/", explode("\n", $answer[2])));
echo $only($a['folk'], 'GET ') === $only($a['fpm'], 'GET ') ? "same \$_GET" : "DIFFERENT \$_GET", " for bytes over 0x7F that are not UTF-8\n";
foreach (explode("\n", $only($a['folk'], '(REQUEST_URI|QUERY_STRING)')) as $line) {
    [$k, $hex] = explode('=', $line, 2);
    // Behind nginx over FastCGI folk gets (and passes on) nginx's bytes, as php-fpm: no encoding of its own.
    echo "folk $k: ", fpm_folk_via_fastcgi() ? (str_contains($a['fpm'][2], $line) ? 'as php-fpm' : 'NOT as php-fpm') : hex2bin($hex), "\n";
}
fpm_and_folk_stop($both);
?>
--EXPECTF--
same: "/s.php?a=\"x\"&b=<y>&c=`z`&d[]=<1>"
same: "/s.php?q=été"
same: "/s.php/<p>`?a=1"
same: "/s.php?a=1#frag"
same: "/s.php/a#b?c"
same: "/no/route<x>?\"q\"=1"
same $_GET for bytes over 0x7F that are not UTF-8
folk REQUEST_URI: %r(\/s\.php\?c=%E9&d=%FF%FE&e=%%E9|as php-fpm)%r
folk QUERY_STRING: %r(c=%E9&d=%FF%FE&e=%%E9|as php-fpm)%r
