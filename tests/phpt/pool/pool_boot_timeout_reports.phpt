--TEST--
A boot slower than boot_timeout is interrupted and reported
--ENV--
FOLK_LOG=off
--INI--
display_errors=0
--FILE--
<?php
$t = microtime(true);
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_slow_boot.php', ['workers' => ['count' => 1, 'boot_timeout' => '200ms']]);
echo (microtime(true) - $t) < 2 ? "constructor returned\n" : "constructor hung\n";
$deadline = microtime(true) + 5;
while ($pool->stats()['healthy'] && microtime(true) < $deadline) usleep(10000);
try { $pool->call('x'); } catch (Folk\Exception\FolkException $e) { echo $e->getMessage(), "\n"; }
$t = microtime(true);
$pool->close();
echo (microtime(true) - $t) < 2 ? "closed promptly\n" : "close hung\n";
?>
--EXPECTF--
constructor returned
pool unhealthy: worker failed to boot %d times in a row: worker boot took longer than workers.boot_timeout (200ms)
closed promptly
