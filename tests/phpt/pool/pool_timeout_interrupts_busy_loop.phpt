--TEST--
exec_timeout interrupts a busy loop: TimeoutException within exec_timeout + 100 ms, the slot is recycled
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
    $pool->call('spin');
} catch (Folk\Exception\TimeoutException $e) {
    $took = microtime(true) - $t;
    echo $e->getMessage(), "\n";
    echo $took < 0.4 ? "on time\n" : "late: {$took}s\n";
}
var_dump($pool->call('echo', 'alive'));
$st = $pool->stats();
var_dump($st['workers'][0]['restarts'], $st['jobs']['timeouts'], $st['recycles']['exec_timeout']);
?>
--EXPECT--
job exceeded exec_timeout of 300ms; it was interrupted and the worker recycled
on time
string(5) "alive"
int(1)
int(1)
int(1)
