--TEST--
An exception thrown while a worker boots is reported as the unhealthy reason
--ENV--
FOLK_LOG=off
--INI--
display_errors=0
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_boot_throws.php', ['workers' => ['count' => 2]]);
$deadline = microtime(true) + 5;
while ($pool->stats()['healthy'] && microtime(true) < $deadline) usleep(10000);
try { $pool->call('x'); } catch (Folk\Exception\FolkException $e) { echo $e->getMessage(), "\n"; }
?>
--EXPECTF--
pool unhealthy: worker failed to boot %d times in a row: Uncaught LogicException: cannot connect to the database during boot in %sworker_boot_throws.php:%d%A
