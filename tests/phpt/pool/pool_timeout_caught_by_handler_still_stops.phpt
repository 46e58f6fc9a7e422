--TEST--
A handler that catches the timeout and keeps looping is stopped hard
--ENV--
FOLK_LOG=off
--INI--
display_errors=0
log_errors=0
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 1, 'exec_timeout' => '200ms']]);
$t = microtime(true);
try { $pool->call('catch_timeout'); } catch (Folk\Exception\TimeoutException $e) { echo "timeout\n"; }
echo (microtime(true) - $t) < 0.3 ? "answered on time\n" : "late\n";
var_dump($pool->call('echo', 'after'));
echo (microtime(true) - $t) < 1.5 ? "worker replaced\n" : "slow\n";
?>
--EXPECT--
timeout
answered on time
string(5) "after"
worker replaced
