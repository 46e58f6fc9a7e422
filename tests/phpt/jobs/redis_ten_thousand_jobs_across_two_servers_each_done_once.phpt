--TEST--
Redis: 10,000 jobs consumed by two folk servers sharing one Redis are each done exactly once (none missing, none twice), and both servers take part
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/redis_server.php'; if ($why = redis_unavailable()) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/redis_server.php';
require __DIR__ . '/../../fixtures/jobs_harness.php';
$redis = redis_start();
$log = jobs_log();
$cfg = ['driver' => 'redis', 'redis' => ['url' => $redis['url']], 'queues' => ['bulk' => ['concurrency' => 4]]];
$a = jobs_server($cfg);
$b = jobs_server($cfg);
$jobs = new Folk\Jobs($cfg);
$ids = [];
$t0 = microtime(true);
for ($batch = 0; $batch < 10; $batch++) {
    $ids = array_merge($ids, $jobs->pushMany('bulk', array_map(fn ($i) => ['name' => 'record', 'payload' => ['log' => $log]], range(1, 1000))));
}
$deadline = microtime(true) + 90;
while ($jobs->stats('bulk')['done'] < 10000 && microtime(true) < $deadline) usleep(50000);
$took = microtime(true) - $t0;
usleep(300000);
$all = jobs_attempts($log);
$counts = array_count_values(array_column($all, 'id'));
echo "pushed: ", count(array_unique($ids)), "\n";
echo "done: ", count($counts), ", missing: ", count(array_diff($ids, array_keys($counts))), ", twice: ", count(array_filter($counts, fn ($n) => $n > 1)), "\n";
echo "servers that ran jobs: ", count(array_unique(array_column($all, 'pid'))), "\n";
$s = $jobs->stats('bulk');
var_dump([$s['done'], $s['ready'], $s['running'], $s['failed']]);
folk_stop_server($a);
folk_stop_server($b);
redis_stop($redis);
?>
--EXPECT--
pushed: 10000
done: 10000, missing: 0, twice: 0
servers that ran jobs: 2
array(4) {
  [0]=>
  int(10000)
  [1]=>
  int(0)
  [2]=>
  int(0)
  [3]=>
  int(0)
}
