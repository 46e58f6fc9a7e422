--TEST--
A full queue refuses a job at once with BusyException
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 1], 'queue' => ['size' => 1]]);
$running = $pool->submit('usleep', 500000);
usleep(50000);
$queued = $pool->submit('echo', 'queued');
$t = microtime(true);
try {
    $pool->submit('echo', 'refused');
    echo "not refused\n";
} catch (Folk\Exception\BusyException $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
    echo (microtime(true) - $t) < 0.05 ? "at once\n" : "slow\n";
}
var_dump($e instanceof Folk\Exception\FolkException, $queued->wait(), $running->wait());
?>
--EXPECTF--
Folk\Exception\BusyException: pool busy: queue full (1 jobs waiting; raise queue.size or add workers)
at once
bool(true)
string(6) "queued"
string(5) "slept"
