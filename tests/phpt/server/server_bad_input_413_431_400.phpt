--TEST--
Oversized bodies get 413, oversized headers 431, malformed HTTP 400; the server keeps serving
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$srv = folk_start_server(['workers' => ['count' => 1], 'http' => ['max_body_size' => '1K', 'max_header_size' => '8K']]);
var_dump(folk_http($srv[2], 'POST', '/echo', [], str_repeat('x', 2048))[0]);
var_dump(folk_http($srv[2], 'GET', '/', ['x-big' => str_repeat('y', 16384)])[0]);
$c = stream_socket_client("tcp://127.0.0.1:{$srv[2]}");
stream_set_timeout($c, 5);
fwrite($c, "THIS IS NOT HTTP\r\n\r\n");
var_dump(folk_read_response($c)[0]);
fclose($c);
var_dump(folk_http($srv[2], 'GET', '/')[0]);
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
int(413)
int(431)
int(400)
int(200)
int(0)
