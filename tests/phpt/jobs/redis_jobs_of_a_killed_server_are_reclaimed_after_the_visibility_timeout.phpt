--TEST--
Redis: kill -9 of a server mid-job leaves its jobs pending; another server reclaims them after jobs.visibility_timeout and every job completes; only the jobs running at the kill ran twice
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/redis_server.php'; if ($why = redis_unavailable()) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/redis_server.php';
require __DIR__ . '/../../fixtures/jobs_harness.php';
$redis = redis_start();
$log = jobs_log();
$cfg = ['driver' => 'redis', 'redis' => ['url' => $redis['url']], 'visibility_timeout' => '1s', 'queues' => ['q' => ['concurrency' => 2]]];
$a = jobs_server($cfg);
$jobs = new Folk\Jobs($cfg);
$ids = $jobs->pushMany('q', array_map(fn ($i) => ['name' => 'work', 'payload' => ['log' => $log, 'us' => 300000]], range(1, 8)));
$deadline = microtime(true) + 5;
while (count(jobs_attempts($log)) < 2 && microtime(true) < $deadline) usleep(5000);
folk_stop_server($a, 9);
$killedPid = jobs_attempts($log)[0]['pid'];
$t = microtime(true);
$b = jobs_server($cfg);
$deadline = microtime(true) + 20;
while ($jobs->stats('q')['done'] < 8 && microtime(true) < $deadline) usleep(20000);
$all = jobs_attempts($log);
$ended = array_column(array_filter($all, fn ($x) => $x['phase'] === 'end'), 'id');
sort($ended); sort($ids);
var_dump($ended === $ids);
// Jobs the killed server started and never ended: each ran again, once.
$cut = array_diff(array_column(array_filter($all, fn ($x) => $x['phase'] === 'start' && $x['pid'] === $killedPid), 'id'),
                  array_column(array_filter($all, fn ($x) => $x['phase'] === 'end' && $x['pid'] === $killedPid), 'id'));
$starts = array_count_values(array_column(array_filter($all, fn ($x) => $x['phase'] === 'start'), 'id'));
$twice = array_keys(array_filter($starts, fn ($n) => $n > 1));
sort($cut); sort($twice);
echo "cut by the kill: ", count($cut), ", ran twice: ", count($twice), ", the same jobs: ", $cut === $twice ? 'yes' : 'no', "\n";
echo "none ran three times: ", max($starts) <= 2 ? 'yes' : 'no', "\n";
$s = $jobs->stats('q');
var_dump($s['running'], $s['ready']);
folk_stop_server($b);
redis_stop($redis);
?>
--EXPECT--
bool(true)
cut by the kill: 2, ran twice: 2, the same jobs: yes
none ran three times: yes
int(0)
int(0)
