--TEST--
When the queue is full the server answers 503 with Retry-After at once
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$srv = folk_start_server(['workers' => ['count' => 1], 'server' => ['main_worker' => false], 'queue' => ['size' => 1]]);
$conns = [];
for ($i = 0; $i < 4; $i++) {
    $c = stream_socket_client("tcp://127.0.0.1:{$srv[2]}");
    stream_set_timeout($c, 10);
    fwrite($c, folk_http_request('GET', '/slow?500000', ['connection' => 'close'], ''));
    $conns[] = $c;
    usleep(50000);
}
$statuses = [];
foreach ($conns as $c) { [$s, $h] = folk_read_response($c); $statuses[] = $s; if ($s === 503) $retry = $h['retry-after'][0] ?? null; }
sort($statuses);
echo implode(',', $statuses), "\n";
var_dump($retry);
folk_stop_server($srv);
?>
--EXPECT--
200,200,503,503
string(1) "1"
