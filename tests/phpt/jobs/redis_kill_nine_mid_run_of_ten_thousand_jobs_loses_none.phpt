--TEST--
Redis: kill -9 of one of two servers in the middle of 10,000 jobs loses none: the survivor reclaims the killed server's pending jobs; the only duplicates are jobs the killed server ran and could not acknowledge, at most the jobs it held (the queue's prefetch)
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/redis_server.php'; if ($why = redis_unavailable()) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/redis_server.php';
require __DIR__ . '/../../fixtures/jobs_harness.php';
$redis = redis_start();
$log = jobs_log();
$cfg = ['driver' => 'redis', 'redis' => ['url' => $redis['url']], 'visibility_timeout' => '1s', 'queues' => ['bulk' => ['concurrency' => 4, 'prefetch' => 16]]];
$a = jobs_server($cfg);
$b = jobs_server($cfg);
$jobs = new Folk\Jobs($cfg);
$ids = [];
for ($batch = 0; $batch < 10; $batch++) {
    $ids = array_merge($ids, $jobs->pushMany('bulk', array_map(fn ($i) => ['name' => 'record', 'payload' => ['log' => $log]], range(1, 1000))));
}
$deadline = microtime(true) + 30;
while ($jobs->stats('bulk')['done'] < 3000 && microtime(true) < $deadline) usleep(5000);
$killedPid = proc_get_status($a[0])['pid'];
folk_stop_server($a, 9);
$deadline = microtime(true) + 90;
while ($jobs->stats('bulk')['done'] < 10000 && microtime(true) < $deadline) usleep(50000);
usleep(300000);
$all = jobs_attempts($log);
$counts = array_count_values(array_column($all, 'id'));
$twice = array_keys(array_filter($counts, fn ($n) => $n > 1));
echo "done: ", count($counts), ", missing: ", count(array_diff($ids, array_keys($counts))), "\n";
// A duplicate is a job the killed server ran (recorded) but could not acknowledge. It held at
// most the queue's `prefetch` jobs taken and unsettled (running on its 2 job slots, waiting
// at the gate or read ahead, or ended with the XACK not sent yet: acknowledgements go out in
// batches), so that is the bound, not the job slots or the concurrency.
$bound = $cfg['queues']['bulk']['prefetch'];
$byKilled = array_flip(array_column(array_filter($all, fn ($x) => $x['pid'] === $killedPid), 'id'));
echo "duplicates: at most the killed server's jobs held (the queue's prefetch, $bound): ", count($twice) <= $bound ? 'yes' : 'no (' . count($twice) . ')', "\n";
echo "each duplicate was run by the killed server: ", count(array_filter($twice, fn ($id) => !isset($byKilled[$id]))) === 0 ? 'yes' : 'no', "\n";
echo "none ran three times: ", max($counts) <= 2 ? 'yes' : 'no', "\n";
$s = $jobs->stats('bulk');
var_dump([$s['ready'], $s['running']]);
folk_stop_server($b);
redis_stop($redis);
?>
--EXPECT--
done: 10000, missing: 0
duplicates: at most the killed server's jobs held (the queue's prefetch, 16): yes
each duplicate was run by the killed server: yes
none ran three times: yes
array(2) {
  [0]=>
  int(0)
  [1]=>
  int(0)
}
