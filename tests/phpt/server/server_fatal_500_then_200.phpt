--TEST--
A fatal error or an exception in a request gives a 500 that leaks nothing; the next request gets a 200
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$srv = folk_start_server(['workers' => ['count' => 1], 'server' => ['main_worker' => false]], [], ['display_errors' => '0']);
foreach (['/fatal', '/throw'] as $p) {
    [$status, , $body] = folk_http($srv[2], 'GET', $p);
    var_dump($status, str_contains($body, 'secret') || str_contains($body, 'fatal in request'));
    var_dump(folk_http($srv[2], 'GET', '/')[0]);
}
[$code, $log] = folk_stop_server($srv);
var_dump($code, str_contains($log, 'fatal in request'));
?>
--EXPECT--
int(500)
bool(false)
int(200)
int(500)
bool(false)
int(200)
int(0)
bool(true)
