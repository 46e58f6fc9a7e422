--TEST--
A worker script that never calls serve() is a boot failure that says so
--ENV--
FOLK_LOG=off
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_no_serve.php', ['workers' => ['count' => 1]]);
$deadline = microtime(true) + 5;
while ($pool->stats()['healthy'] && microtime(true) < $deadline) usleep(10000);
try { $pool->call('x'); } catch (Folk\Exception\FolkException $e) { echo $e->getMessage(), "\n"; }
?>
--EXPECTF--
pool unhealthy: worker failed to boot %d times in a row: the worker script %sworker_no_serve.php ended without calling Folk\Worker::serve()
