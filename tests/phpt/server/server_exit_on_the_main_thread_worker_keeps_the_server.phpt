--TEST--
exit() in a handler that runs on the main-thread worker retires that worker only: the server keeps serving on its thread workers, and a clean stop still exits 0
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/docroot.php';
$root = folk_docroot(['worker.php' => '<?php
Folk\Worker::serve(function ($m, $r) { if ($r["path"] === "/exit") exit(); usleep(20000); return "alive"; });']);
$srv = folk_start_server(['worker' => "$root/worker.php", 'workers' => ['count' => 1]]);
// Enough exits that the main thread takes some (each one it takes retires it; a thread worker is replaced).
for ($i = 0; $i < 8; $i++) {
    $c = [];
    for ($j = 0; $j < 3; $j++) { $c[$j] = stream_socket_client("tcp://127.0.0.1:{$srv[2]}"); fwrite($c[$j], "GET /exit HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); }
    foreach ($c as $s) { stream_get_contents($s); fclose($s); }
}
$ok = 0;
for ($i = 0; $i < 10; $i++) { [$s, , $b] = folk_http($srv[2], 'GET', '/'); $ok += $s === 200 && $b === 'alive'; }
echo "$ok of 10 served after the exits\n";
[$code, $log] = folk_stop_server($srv);
var_dump($code, str_contains($log, 'run returned'), str_contains($log, 'the main-thread worker stopped; the thread workers carry on'));
?>
--EXPECT--
10 of 10 served after the exits
int(0)
bool(true)
bool(true)
