--TEST--
close() finishes queued and running jobs, then joins every worker thread
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 2]]);
$futures = [];
for ($i = 0; $i < 40; $i++) $futures[] = $pool->submit('usleep', 20000);
$pool->close();
$ok = 0;
foreach ($futures as $f) { if ($f->done() && $f->wait(0) === 'slept') $ok++; }
echo "$ok of 40 finished before close() returned\n";
try { $pool->call('echo', 1); } catch (Folk\Exception\FolkException $e) { echo $e->getMessage(), "\n"; }
?>
--EXPECT--
40 of 40 finished before close() returned
the pool is closed
