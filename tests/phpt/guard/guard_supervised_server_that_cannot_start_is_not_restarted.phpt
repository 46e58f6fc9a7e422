--TEST--
Crash supervision: a server that dies before it is ready (here its worker script crashes at boot) is not restarted in a loop: the supervisor exits at once with the child's status; and supervision refuses to fork while other threads run (a Folk\Pool open), with an exception that says what to do
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix'; ?>
--FILE--
<?php
// Under make test-asan the server must die of the SIGSEGV it sends itself, not have ASan report it.
if (getenv('ASAN_OPTIONS') !== false) putenv('ASAN_OPTIONS=' . getenv('ASAN_OPTIONS') . ':handle_segv=0');
require __DIR__ . '/../../fixtures/server_harness.php';
$worker = tempnam(sys_get_temp_dir(), 'folk-crash-') . '.php';
file_put_contents($worker, '<?php posix_kill(getmypid(), SIGSEGV); sleep(5);');
$t = microtime(true);
$srv = folk_start_server(['worker' => $worker, 'workers' => ['count' => 1], 'server' => ['supervise' => true]], [], [], false);
$deadline = microtime(true) + 10;
while (($st = proc_get_status($srv[0]))['running'] && microtime(true) < $deadline) usleep(20000);
$code = $st['exitcode'];
[, $log] = folk_stop_server($srv);
echo "exit $code (128 + SIGSEGV) ", microtime(true) - $t < 5 ? 'soon' : 'late', "\n";
echo "logged: ", str_contains($log, 'was killed by SIGSEGV (signal 11) before it was ready; not restarting') ? 'yes' : "no\n$log", "\n";
echo "restarted: ", substr_count($log, 'supervising the server') === 1 && !str_contains($log, 'restarting the server') ? 'no' : 'yes', "\n";
unlink($worker);

$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 1]]);
$server = new Folk\Server(['worker' => __DIR__ . '/../../fixtures/worker_http.php', 'http' => ['listen' => '127.0.0.1:' . folk_free_port()], 'server' => ['supervise' => true], 'log' => ['level' => 'warn']]);
try {
    $server->run();
    echo "ran\n";
} catch (Folk\Exception\FolkException $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
$pool->close();
?>
--EXPECTF--
exit 139 (128 + SIGSEGV) soon
logged: yes
restarted: no
Folk\Exception\FolkException: cannot start the server: server.supervise forks the process, which needs the calling thread to be its only one, but %d are running (a Folk\Pool left open before Folk\Server::run()?): close it first, or set server.supervise = false
