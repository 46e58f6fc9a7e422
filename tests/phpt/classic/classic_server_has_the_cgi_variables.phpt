--TEST--
Classic mode: $_SERVER holds the CGI variables php-fpm gives (request, script, server, client), with no HTTPS without TLS and no argv/argc
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic(['app/s.php' => '<?php echo json_encode($_SERVER);']);
$port = $srv[2];
[, , $b] = folk_http($port, 'GET', '/app/s.php?a=1&b=2', ['user-agent' => 'folk-test']);
$s = json_decode($b, true);
$root = realpath($srv['root']);
foreach (['REQUEST_METHOD' => 'GET', 'REQUEST_URI' => '/app/s.php?a=1&b=2', 'QUERY_STRING' => 'a=1&b=2',
          'SCRIPT_NAME' => '/app/s.php', 'SCRIPT_FILENAME' => "$root/app/s.php", 'PHP_SELF' => '/app/s.php',
          'PATH_INFO' => '', 'DOCUMENT_ROOT' => $root, 'DOCUMENT_URI' => '/app/s.php', 'SERVER_NAME' => '127.0.0.1',
          'SERVER_PORT' => (string) $port, 'SERVER_PROTOCOL' => 'HTTP/1.1', 'GATEWAY_INTERFACE' => 'CGI/1.1',
          'REQUEST_SCHEME' => 'http', 'REMOTE_ADDR' => '127.0.0.1', 'HTTP_HOST' => '127.0.0.1',
          'HTTP_USER_AGENT' => 'folk-test', 'CONTENT_TYPE' => '', 'CONTENT_LENGTH' => ''] as $k => $want) {
    if (($s[$k] ?? null) !== $want) echo "$k: ", var_export($s[$k] ?? null, true), " != ", var_export($want, true), "\n";
}
var_dump(str_starts_with($s['SERVER_SOFTWARE'], 'folk/'), ctype_digit($s['REMOTE_PORT']), is_int($s['REQUEST_TIME']), is_float($s['REQUEST_TIME_FLOAT']));
var_dump(isset($s['HTTPS']), isset($s['argv']), isset($s['argc']));
folk_stop_server($srv);
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(false)
bool(false)
bool(false)
