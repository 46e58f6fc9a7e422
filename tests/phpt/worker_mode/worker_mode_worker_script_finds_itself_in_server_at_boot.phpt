--TEST--
A worker script finds itself in $_SERVER at boot (SCRIPT_FILENAME, PATH_TRANSLATED, SCRIPT_NAME, PHP_SELF), not the script that started the server, on thread workers and on the main-thread worker, whose script gets its own values back after run()
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$worker = <<<'PHP'
<?php
// As Symfony's autoload_runtime.php does: the front controller is $_SERVER['SCRIPT_FILENAME'].
$boot = [basename($_SERVER['SCRIPT_FILENAME']), basename($_SERVER['PATH_TRANSLATED']), basename($_SERVER['SCRIPT_NAME']), basename($_SERVER['PHP_SELF']), $_SERVER['SCRIPT_FILENAME'] === __FILE__];
while (Folk\Worker::handleRequest(function () use ($boot) { usleep(50000); echo json_encode($boot); })) {}
PHP;
$srv = folk_worker_mode($worker, [], ['workers' => ['count' => 1], 'server' => ['main_worker' => true]]);
$seen = [];
for ($round = 0; $round < 3; $round++) {
    $c = [];
    for ($i = 0; $i < 3; $i++) { $c[$i] = stream_socket_client("tcp://127.0.0.1:{$srv[2]}"); fwrite($c[$i], "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); }
    foreach ($c as $s) { [, , $b] = folk_read_response($s); $seen[$b] = true; fclose($s); }
}
echo implode("\n", array_keys($seen)), "\n";
[$code, $log] = folk_stop_server($srv);
var_dump($code, str_contains($log, 'run returned'));
?>
--EXPECT--
["worker.php","worker.php","worker.php","worker.php",true]
int(0)
bool(true)
