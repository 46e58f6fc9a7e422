--TEST--
folk and php-fpm + nginx set the same $_SERVER keys and values for a script, PATH_INFO (a lone trailing slash included), the front controller, a POST and Basic auth (ports, times, software and environment masked)
--SKIPIF--
<?php require __DIR__ . "/../../fixtures/fpm_reference.php"; if ($why = fpm_reference_unavailable()) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/fpm_reference.php';
$dump = '<?php ksort($_SERVER); echo json_encode($_SERVER, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES);';
$both = fpm_and_folk(['app/s.php' => $dump, 'index.php' => $dump]);

// What legitimately differs, masked (the key must still be there on both sides):
// each server's own port, the client's port, the clock, and the server's name.
$masked = ['SERVER_PORT', 'REMOTE_PORT', 'REQUEST_TIME', 'REQUEST_TIME_FLOAT', 'SERVER_SOFTWARE'];
// Left out on one side only, each a difference docs/CLASSIC.md lists:
// folk's $_SERVER holds the process environment ("$_SERVER also holds the process environment"), so an
// environment variable is left out on folk's side unless php-fpm has that key too (run-tests.php puts
// CGI names like REQUEST_METHOD in the environment);
// php-fpm's children get USER and HOME from fpm itself, its side of the same row (clear_env).
$folk_only = array_merge(array_keys(getenv()), ['FOLK_LOG']);
$fpm_only = ['USER', 'HOME'];
// FCGI_ROLE is FastCGI's: folk's own HTTP server has none (docs/CLASSIC.md); behind nginx over FastCGI folk has it too.
if (!fpm_folk_via_fastcgi()) $fpm_only[] = 'FCGI_ROLE';
$bug_masked = [];

function server_view(array $answer, array $drop, array $mask): array
{
    $s = json_decode($answer[2], true);
    if (!is_array($s)) return $answer;
    foreach ($drop as $k) unset($s[$k]);
    foreach ($mask as $k) if (array_key_exists($k, $s)) $s[$k] = 'MASKED';
    $answer[2] = json_encode($s, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES);
    return $answer;
}
$requests = [
    ['GET', '/app/s.php?a=1&b=2', ['user-agent' => 'folk-test', 'accept' => 'text/html', 'x-custom-thing' => 'v'], ''],
    ['GET', '/app/s.php/extra/path?x', [], ''],
    ['GET', '/app/s.php/', [], ''],
    ['GET', '/app/s.php/.?y=1', [], ''],
    ['GET', '/some/route?page=2', [], ''],
    ['GET', '/index.php/a/b', [], ''],
    ['POST', '/app/s.php', ['content-type' => 'application/x-www-form-urlencoded'], 'a=1'],
    ['GET', '/app/s.php', ['authorization' => 'Basic ' . base64_encode('alice:s3cret')], ''],
];
foreach ($requests as [$method, $path, $headers, $body]) {
    $a = fpm_and_folk_request($both, $method, $path, $headers, $body);
    $env_only = array_diff($folk_only, array_diff(array_keys(json_decode($a['fpm'][2], true) ?? []), $fpm_only));
    fpm_compare("$method $path", [
        'folk' => server_view($a['folk'], $env_only, array_merge($masked, $bug_masked)),
        'fpm' => server_view($a['fpm'], $fpm_only, array_merge($masked, $bug_masked)),
    ]);
}
fpm_and_folk_stop($both);
?>
--EXPECT--
same: GET /app/s.php?a=1&b=2
same: GET /app/s.php/extra/path?x
same: GET /app/s.php/
same: GET /app/s.php/.?y=1
same: GET /some/route?page=2
same: GET /index.php/a/b
same: POST /app/s.php
same: GET /app/s.php
