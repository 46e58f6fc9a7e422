--TEST--
close() interrupts what outlives server.shutdown_timeout and still returns
--ENV--
FOLK_LOG=off
--INI--
display_errors=0
log_errors=0
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 1, 'exec_timeout' => 0], 'server' => ['shutdown_timeout' => '200ms']]);
$long = $pool->submit('spin');
usleep(50000);
$t = microtime(true);
$pool->close();
echo (microtime(true) - $t) < 1 ? "closed on time\n" : "close hung\n";
try { $long->wait(0); } catch (Folk\Exception\FolkException $e) { echo $e->getMessage(), "\n"; }
?>
--EXPECT--
closed on time
pool is shut down
