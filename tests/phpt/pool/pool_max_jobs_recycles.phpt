--TEST--
workers.max_jobs recycles a worker between jobs without losing any
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 1, 'max_jobs' => 10]]);
$counts = [];
for ($i = 0; $i < 50; $i++) $counts[] = $pool->call('jobs');
echo max($counts) <= 10 ? "never more than 10 jobs per worker\n" : "max " . max($counts) . "\n";
$st = $pool->stats();
var_dump($st['recycles']['max_jobs'] >= 4, $st['jobs']['ok']);
?>
--EXPECT--
never more than 10 jobs per worker
bool(true)
int(50)
