--TEST--
exec_timeout interrupts a blocking sleep(60) on time
--ENV--
FOLK_LOG=off
--INI--
display_errors=0
log_errors=0
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 1, 'exec_timeout' => '300ms']]);
$t = microtime(true);
try {
    $pool->call('sleep', 60);
} catch (Folk\Exception\TimeoutException $e) {
    $took = microtime(true) - $t;
    echo $took < 0.4 ? "interrupted on time\n" : "late: {$took}s\n";
}
$t = microtime(true);
var_dump($pool->call('echo', 'next'));
echo (microtime(true) - $t) < 2 ? "pool recovered\n" : "slow recovery\n";
$pool->close();
echo "closed\n";
?>
--EXPECT--
interrupted on time
string(4) "next"
pool recovered
closed
