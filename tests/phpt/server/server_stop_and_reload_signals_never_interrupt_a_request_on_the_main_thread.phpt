--TEST--
SIGHUP (reload) and SIGTERM (stop) never interrupt PHP code running on the main-thread worker: its sleep() and blocking calls run their full length (the signals reached the main thread, the only one that let them through, and cut them short with EINTR)
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$worker = <<<'PHP'
<?php
while (Folk\Worker::handleRequest(function () {
    $t = microtime(true);
    usleep(1500000);
    printf('%.2f', microtime(true) - $t);
})) {}
PHP;
$root = folk_docroot(['worker.php' => $worker]);
$srv = folk_start_server(['worker' => "$root/worker.php", 'workers' => ['count' => 1], 'server' => ['main_worker' => true, 'shutdown_timeout' => '5s']]);
$port = $srv[2];
$pid = proc_get_status($srv[0])['pid'];
foreach ([SIGHUP => 'SIGHUP', SIGTERM => 'SIGTERM'] as $signal => $name) {
    // Two requests at once: one on the main thread, one on the thread worker.
    $conns = [];
    for ($i = 0; $i < 2; $i++) {
        $conns[$i] = stream_socket_client("tcp://127.0.0.1:$port");
        fwrite($conns[$i], "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }
    usleep(400000);
    posix_kill($pid, $signal);
    $slept = [];
    foreach ($conns as $c) {
        [$s, , $b] = folk_read_response($c);
        $slept[] = $s === 200 && (float) $b >= 1.49 ? 'full' : "$s $b";
        fclose($c);
    }
    echo "$name during two requests: ", implode(', ', $slept), "\n";
}
[$code] = folk_stop_server($srv);
echo "exit $code\n";
folk_rmdir($root);
?>
--EXPECT--
SIGHUP during two requests: full, full
SIGTERM during two requests: full, full
exit 0
