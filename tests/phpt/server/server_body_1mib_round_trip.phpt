--TEST--
A 1 MiB binary request body reaches the worker and comes back byte for byte
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$srv = folk_start_server(['workers' => ['count' => 1]]);
$payload = random_bytes(1 << 20);
[$status, $h, $body] = folk_http($srv[2], 'POST', '/echo', ['content-type' => 'application/octet-stream'], $payload);
var_dump($status, $h['x-len'][0], $body === $payload);
folk_stop_server($srv);
?>
--EXPECT--
int(200)
string(7) "1048576"
bool(true)
