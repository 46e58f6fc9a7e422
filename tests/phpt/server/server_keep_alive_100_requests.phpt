--TEST--
100 requests on one keep-alive connection, then 10 pipelined ones, are all answered in order
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$srv = folk_start_server(['workers' => ['count' => 2]]);
$c = stream_socket_client("tcp://127.0.0.1:{$srv[2]}");
stream_set_timeout($c, 10);
$ok = 0;
for ($i = 0; $i < 100; $i++) {
    fwrite($c, folk_http_request('POST', '/echo', [], "n$i"));
    [$s, , $b] = folk_read_response($c);
    if ($s === 200 && $b === "n$i") $ok++;
}
echo "$ok of 100 on one connection\n";
$batch = '';
for ($i = 0; $i < 10; $i++) $batch .= folk_http_request('POST', '/echo', [], "p$i");
fwrite($c, $batch);
$ok = 0;
for ($i = 0; $i < 10; $i++) { [$s, , $b] = folk_read_response($c); if ($b === "p$i") $ok++; }
echo "$ok of 10 pipelined, in order\n";
folk_stop_server($srv);
?>
--EXPECT--
100 of 100 on one connection
10 of 10 pipelined, in order
