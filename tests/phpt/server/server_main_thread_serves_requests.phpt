--TEST--
The main PHP thread serves requests as a worker beside the thread workers
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$srv = folk_start_server(['workers' => ['count' => 1]]);
$seen = [];
for ($round = 0; $round < 20 && count($seen) < 2; $round++) {
    $conns = [];
    for ($i = 0; $i < 4; $i++) {
        $c = stream_socket_client("tcp://127.0.0.1:{$srv[2]}");
        stream_set_timeout($c, 10);
        fwrite($c, folk_http_request('GET', '/thread', ['connection' => 'close'], ''));
        $conns[] = $c;
    }
    foreach ($conns as $c) { [, , $b] = folk_read_response($c); $seen[$b] = true; }
}
ksort($seen);
echo implode(',', array_keys($seen)), "\n";
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
main,thread
int(0)
