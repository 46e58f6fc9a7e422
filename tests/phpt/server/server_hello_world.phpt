--TEST--
Folk\Server answers HTTP from its workers and SIGTERM makes run() return and the process exit 0
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$srv = folk_start_server(['workers' => ['count' => 2]]);
[$status, $headers, $body] = folk_http($srv[2], 'GET', '/');
var_dump($status, $headers['content-type'][0], $body);
[$code, $log] = folk_stop_server($srv);
var_dump($code, str_contains($log, 'run returned'), str_contains($log, 'SIGTERM'));
?>
--EXPECT--
int(200)
string(24) "text/html; charset=utf-8"
string(13) "Hello, World!"
int(0)
bool(true)
bool(true)
