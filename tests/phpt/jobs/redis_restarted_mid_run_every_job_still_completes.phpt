--TEST--
Redis: a Redis restart in the middle of a run of 300 jobs: the consumers reconnect and every job completes, none twice: jobs that finished during the outage are acknowledged once Redis is back
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
$down = microtime(true);
usleep(700000);
$redis = redis_start($redis['port'], $redis['dir']);
$up = microtime(true);
$deadline = microtime(true) + 30;
while (count(array_unique(array_column(jobs_attempts($log), 'id'))) < 300 && microtime(true) < $deadline) usleep(20000);
usleep(1500000); // a lost acknowledgement shows up as a rerun after the visibility timeout
$all = jobs_attempts($log);
$counts = array_count_values(array_column($all, 'id'));
echo "completed: ", count($counts), ", missing: ", count(array_diff($ids, array_keys($counts))), "\n";
// The server held jobs when Redis went down (running, waiting at the gate, read ahead: about
// 100 ms of work); with 10ms jobs they all finish during the 700ms outage and their XACK cannot
// reach Redis. The acknowledgements are tried again until Redis is back, while the jobs stay held
// (so this server's own reclaim leaves them alone), so none of them runs again. (Before, each
// such job was reclaimed after the visibility timeout and run a second time.)
$reruns = array_keys(array_filter($counts, fn ($n) => $n > 1));
echo "run twice: none: ", count($reruns) === 0 ? 'yes' : 'no (' . count($reruns) . ')', "\n";
// The case this pins happened: jobs ran while Redis was down, so their acknowledgements had to wait.
$inOutage = count(array_filter($all, fn ($x) => $x['at'] > $down && $x['at'] < $up));
echo "jobs ran while Redis was down: ", $inOutage > 0 ? 'yes' : 'no', "\n";
$s = $jobs->stats('q');
var_dump([$s['ready'], $s['running'], $s['delayed']]);
folk_stop_server($srv);
redis_stop($redis);
?>
--EXPECT--
completed: 300, missing: 0
run twice: none: yes
jobs ran while Redis was down: yes
array(3) {
  [0]=>
  int(0)
  [1]=>
  int(0)
  [2]=>
  int(0)
}
