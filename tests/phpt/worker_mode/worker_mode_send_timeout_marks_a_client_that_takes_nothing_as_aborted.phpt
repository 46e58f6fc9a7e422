--TEST--
Worker mode, http.send_timeout = 1s: a handler streaming into a zero-window h2 stream stops waiting after send_timeout, sees connection_aborted() = 1 (its later output is dropped) and runs to its end, and the same worker serves the next request; the connection is closed
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
require __DIR__ . '/../../fixtures/h2_client.php';
$marker = sys_get_temp_dir() . '/folk-send-worker-' . getmypid();
@unlink($marker);
$worker = <<<PHP
<?php
\$boot = bin2hex(random_bytes(4));
while (Folk\Worker::handleRequest(function () use (\$boot) {
    if (!isset(\$_GET['stream'])) { echo \$boot; return; }
    while (ob_get_level()) ob_end_flush();
    \$t = microtime(true);
    \$c = str_repeat('x', 65536);
    for (\$i = 0; \$i < 100000 && !connection_aborted(); \$i++) { echo \$c; flush(); }
    file_put_contents('$marker', json_encode(['aborted' => connection_aborted(), 'held' => round(microtime(true) - \$t)]));
})) {}
PHP;
$srv = folk_worker_mode($worker, [], ['http' => ['send_timeout' => '1s']]);
[, , $boot] = folk_http($srv[2], 'GET', '/');
$h2 = H2Client::connect($srv[2], 0);
$h2->get(1, '/?stream=1');
$t = microtime(true);
while (!file_exists($marker) && microtime(true) - $t < 5) {
    $h2->pump(0.05);
    usleep(10000);
}
echo @file_get_contents($marker) ?: 'handler still held', "\n";
$h2->pump(2.0);
echo $h2->closed ? "connection closed\n" : "connection open\n";
[$s, , $b] = folk_http($srv[2], 'GET', '/');
echo "$s ", $b === $boot ? 'same worker' : 'worker replaced', "\n";
$h2->close();
@unlink($marker);
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
{"aborted":1,"held":1}
connection closed
200 same worker
int(0)
