--TEST--
Redis: SIGTERM stops taking jobs, lets the running ones finish, and returns the jobs taken but not started to the stream unacknowledged; another server then runs the rest, none twice
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/redis_server.php'; if ($why = redis_unavailable()) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/redis_server.php';
require __DIR__ . '/../../fixtures/jobs_harness.php';
$redis = redis_start();
$log = jobs_log();
// 3 worker slots (2 + main): jobs may use 2; concurrency 4 takes 2 more that wait for a worker.
$cfg = ['driver' => 'redis', 'redis' => ['url' => $redis['url']], 'queues' => ['q' => ['concurrency' => 4]]];
$srv = jobs_server($cfg, ['workers' => ['count' => 2]]);
$jobs = new Folk\Jobs($cfg);
$ids = $jobs->pushMany('q', array_map(fn ($i) => ['name' => 'work', 'payload' => ['log' => $log, 'us' => 400000]], range(1, 10)));
$deadline = microtime(true) + 5;
while (count(jobs_attempts($log)) < 2 && microtime(true) < $deadline) usleep(10000);
$s = $jobs->stats('q');
echo "taken before the stop: ", $s['running'], "\n";
[$code, $out] = folk_stop_server($srv);
var_dump($code);
$a = jobs_attempts($log);
$starts = count(array_filter($a, fn ($x) => $x['phase'] === 'start'));
$ends = count(array_filter($a, fn ($x) => $x['phase'] === 'end'));
echo "running at the stop finished: ", $starts === $ends ? 'yes' : "no ($starts started, $ends ended)", "\n";
$s = $jobs->stats('q');
var_dump($s['running'], $s['done'] === $ends, $s['ready'] === 10 - $ends);
$srv = jobs_server($cfg);
$deadline = microtime(true) + 15;
while ($jobs->stats('q')['done'] < 10 && microtime(true) < $deadline) usleep(20000);
$ended = array_column(array_filter(jobs_attempts($log), fn ($x) => $x['phase'] === 'end'), 'id');
sort($ended); sort($ids);
var_dump($ended === $ids);
folk_stop_server($srv);
redis_stop($redis);
?>
--EXPECT--
taken before the stop: 4
int(0)
running at the stop finished: yes
int(0)
bool(true)
bool(true)
bool(true)
