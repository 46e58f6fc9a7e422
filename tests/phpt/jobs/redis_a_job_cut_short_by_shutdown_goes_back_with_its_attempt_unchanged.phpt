--TEST--
Redis: a job still running when server.shutdown_timeout ends is interrupted and goes back to the stream unacknowledged with its attempt unchanged (the deploy's fault, not the job's): the next server runs it as attempt 1, no failure counted
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/redis_server.php'; if ($why = redis_unavailable()) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/redis_server.php';
require __DIR__ . '/../../fixtures/jobs_harness.php';
$redis = redis_start();
$log = jobs_log();
$cfg = ['driver' => 'redis', 'redis' => ['url' => $redis['url']], 'queues' => ['q' => ['concurrency' => 1]]];
$srv = jobs_server($cfg, ['server' => ['shutdown_timeout' => '300ms']]);
$jobs = new Folk\Jobs($cfg);
[$id] = $jobs->pushMany('q', [['name' => 'work', 'payload' => ['log' => $log, 'us' => 3000000]]]);
$deadline = microtime(true) + 5;
while (count(jobs_attempts($log)) < 1 && microtime(true) < $deadline) usleep(10000);
echo "started: ", count(jobs_attempts($log)), "\n";
folk_stop_server($srv);
$a = jobs_attempts($log);
echo "cut short (no end recorded): ", count(array_filter($a, fn ($x) => $x['phase'] === 'end')) === 0 ? 'yes' : 'no', "\n";
$s = $jobs->stats('q');
echo "back in the stream, no failure counted: ", json_encode([$s['ready'], $s['running'], $s['failed']]), "\n";
$srv = jobs_server($cfg);
$deadline = microtime(true) + 10;
while ($jobs->stats('q')['done'] < 1 && microtime(true) < $deadline) usleep(20000);
$runs = array_values(array_filter(jobs_attempts($log), fn ($x) => $x['phase'] === 'start' && $x['id'] === $id));
$second = $runs[1] ?? null;
echo "second run: ", $second ? "attempt {$second['attempt']}, last_error " . json_encode($second['last_error']) : 'none', "\n";
folk_stop_server($srv);
redis_stop($redis);
?>
--EXPECT--
started: 1
cut short (no end recorded): yes
back in the stream, no failure counted: [1,0,0]
second run: attempt 1, last_error null
