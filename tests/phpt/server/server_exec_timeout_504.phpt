--TEST--
A request running past exec_timeout gets 504 on time, and the next request is served
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$srv = folk_start_server(['workers' => ['count' => 1, 'exec_timeout' => '300ms'], 'server' => ['main_worker' => false]]);
$t = microtime(true);
[$status] = folk_http($srv[2], 'GET', '/sleep');
$took = microtime(true) - $t;
var_dump($status);
echo $took < 0.5 ? "on time\n" : "late: $took\n";
var_dump(folk_http($srv[2], 'GET', '/')[0]);
folk_stop_server($srv);
?>
--EXPECT--
int(504)
on time
int(200)
