--TEST--
SIGTERM during load: every accepted request is answered completely, then the process exits 0
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$srv = folk_start_server(['workers' => ['count' => 2]]);
$conns = [];
for ($i = 0; $i < 20; $i++) {
    $c = stream_socket_client("tcp://127.0.0.1:{$srv[2]}");
    stream_set_timeout($c, 20);
    fwrite($c, folk_http_request('GET', '/slow?200000', ['connection' => 'close'], ''));
    $conns[] = $c;
}
usleep(100000);
$pid = proc_get_status($srv[0])['pid'];
posix_kill($pid, SIGTERM);
$ok = 0;
foreach ($conns as $c) { [$s, , $b] = folk_read_response($c); if ($s === 200 && $b === 'slow done') $ok++; }
echo "$ok of 20 answered\n";
[$code, $log] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
20 of 20 answered
int(0)
