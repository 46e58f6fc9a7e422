--TEST--
Redis: a Redis restart in the middle of a run of 300 jobs: the consumers reconnect and every job completes; the only jobs run twice are those whose acknowledgement was lost in the outage (at most the queue's concurrency), each once more
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/redis_server.php'; if ($why = redis_unavailable()) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/redis_server.php';
require __DIR__ . '/../../fixtures/jobs_harness.php';
$redis = redis_start();
$log = jobs_log();
$cfg = ['driver' => 'redis', 'redis' => ['url' => $redis['url']], 'visibility_timeout' => '1s', 'queues' => ['q' => ['concurrency' => 3]]];
$srv = jobs_server($cfg);
$jobs = new Folk\Jobs($cfg);
$ids = $jobs->pushMany('q', array_map(fn ($i) => ['name' => 'slow', 'payload' => ['log' => $log, 'us' => 10000]], range(1, 300)));
$deadline = microtime(true) + 10;
while (count(jobs_attempts($log)) < 60 && microtime(true) < $deadline) usleep(5000);
redis_stop($redis, false);
usleep(700000);
$redis = redis_start($redis['port'], $redis['dir']);
$up = microtime(true);
$deadline = microtime(true) + 30;
while (count(array_unique(array_column(jobs_attempts($log), 'id'))) < 300 && microtime(true) < $deadline) usleep(20000);
usleep(1500000); // a lost acknowledgement shows up as a rerun after the visibility timeout
$all = jobs_attempts($log);
$counts = array_count_values(array_column($all, 'id'));
echo "completed: ", count($counts), ", missing: ", count(array_diff($ids, array_keys($counts))), "\n";
// Which jobs can run twice: those taken from the stream and not settled when Redis went down.
// The consumer holds at most the queue's `concurrency` of them (taken = running + waiting at
// the gate for one of the 2 job slots); with 10ms jobs all of them finish during the 700ms
// outage, their XACK fails, they stay pending and are reclaimed once idle for the visibility
// timeout. Jobs taken after the restart are renewed from their take and acknowledged. So the
// bound is the concurrency, not the job slots: the waiting ones run during the outage too.
$bound = $cfg['queues']['q']['concurrency'];
$reruns = array_keys(array_filter($counts, fn ($n) => $n > 1));
echo "run twice: at most the queue's concurrency ($bound): ", count($reruns) <= $bound ? 'yes' : 'no (' . count($reruns) . ')', "\n";
echo "none ran three times: ", max($counts) <= 2 ? 'yes' : 'no', "\n";
// A rerun is a reclaim of an attempt that ended before Redis was back (its acknowledgement was
// lost), never a job taken twice: its first attempt is recorded before the restart, its second
// is attempt 2 and says why.
$first = $second = [];
foreach ($all as $x) {
    if (($counts[$x['id']] ?? 0) < 2) continue;
    if (!isset($first[$x['id']])) $first[$x['id']] = $x; else $second[$x['id']] = $x;
}
$lost = array_filter($reruns, fn ($id) => $first[$id]['at'] < $up && $first[$id]['attempt'] === 1 && $second[$id]['attempt'] === 2
    && str_contains((string) $second[$id]['last_error'], 'stopped renewing it for jobs.visibility_timeout'));
echo "each rerun is a lost acknowledgement of the outage: ", count($lost) === count($reruns) ? 'yes' : 'no', "\n";
$s = $jobs->stats('q');
var_dump([$s['ready'], $s['running'], $s['delayed']]);
folk_stop_server($srv);
redis_stop($redis);
?>
--EXPECT--
completed: 300, missing: 0
run twice: at most the queue's concurrency (3): yes
none ran three times: yes
each rerun is a lost acknowledgement of the outage: yes
array(3) {
  [0]=>
  int(0)
  [1]=>
  int(0)
  [2]=>
  int(0)
}
