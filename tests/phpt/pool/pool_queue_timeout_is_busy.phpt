--TEST--
A job that waits longer than queue.timeout for a worker fails with BusyException at the deadline
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 1], 'queue' => ['timeout' => '200ms']]);
$running = $pool->submit('usleep', 800000);
usleep(20000);
$t = microtime(true);
try {
    $pool->call('echo', 1);
    echo "no timeout\n";
} catch (Folk\Exception\BusyException $e) {
    $waited = microtime(true) - $t;
    echo $e->getMessage(), "\n";
    echo ($waited >= 0.17 && $waited < 0.45) ? "at the deadline\n" : "waited {$waited}s\n";
}
var_dump($running->wait());
?>
--EXPECT--
pool busy: no worker became free within queue.timeout (200ms)
at the deadline
string(5) "slept"
