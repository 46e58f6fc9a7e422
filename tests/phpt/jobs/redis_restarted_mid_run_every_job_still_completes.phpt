--TEST--
Redis: a Redis restart in the middle of a run of 300 jobs: the consumers reconnect and every job completes; the only jobs run twice are those whose acknowledgement was lost in the outage (at most the jobs in flight)
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
$deadline = microtime(true) + 30;
while (count(array_unique(array_column(jobs_attempts($log), 'id'))) < 300 && microtime(true) < $deadline) usleep(20000);
usleep(1500000); // a lost acknowledgement shows up as a rerun after the visibility timeout
$counts = array_count_values(array_column(jobs_attempts($log), 'id'));
echo "completed: ", count($counts), ", missing: ", count(array_diff($ids, array_keys($counts))), "\n";
$twice = count(array_filter($counts, fn ($n) => $n > 1));
echo "run twice: at most the 2 job slots in flight: ", $twice <= 2 ? 'yes' : "no ($twice)", "\n";
$s = $jobs->stats('q');
var_dump([$s['ready'], $s['running'], $s['delayed']]);
folk_stop_server($srv);
redis_stop($redis);
?>
--EXPECT--
completed: 300, missing: 0
run twice: at most the 2 job slots in flight: yes
array(3) {
  [0]=>
  int(0)
  [1]=>
  int(0)
  [2]=>
  int(0)
}
