--TEST--
200 concurrent connections each get their answer
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$srv = folk_start_server(['workers' => ['count' => 2]]);
$conns = [];
for ($i = 0; $i < 200; $i++) {
    $c = stream_socket_client("tcp://127.0.0.1:{$srv[2]}", $e, $s, 5);
    stream_set_timeout($c, 20);
    $conns[$i] = $c;
}
foreach ($conns as $i => $c) fwrite($c, folk_http_request('POST', '/echo', ['connection' => 'close'], "c$i"));
$ok = 0;
foreach ($conns as $i => $c) { [$s, , $b] = folk_read_response($c); if ($s === 200 && $b === "c$i") $ok++; fclose($c); }
echo "$ok of 200\n";
folk_stop_server($srv);
?>
--EXPECT--
200 of 200
