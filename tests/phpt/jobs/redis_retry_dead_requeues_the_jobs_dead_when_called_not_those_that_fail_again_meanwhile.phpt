--TEST--
Redis: retryDead() requeues the jobs dead when it is called, once each: a requeued job that fails again at once is dead-lettered behind them and waits for the next call, instead of going round until the call times out
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/redis_server.php'; if ($why = redis_unavailable()) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/redis_server.php';
require __DIR__ . '/../../fixtures/jobs_harness.php';
$redis = redis_start();
$log = jobs_log();
$cfg = ['driver' => 'redis', 'redis' => ['url' => $redis['url']], 'queues' => ['hooks' => ['max_retries' => 0, 'concurrency' => 3]]];
$srv = jobs_server($cfg);
$jobs = new Folk\Jobs($cfg);
$jobs->pushMany('hooks', array_fill(0, 3, ['name' => 'fail', 'payload' => ['log' => $log]]));
jobs_wait($log, 3);
$deadline = microtime(true) + 5;
while ($jobs->stats('hooks')['dead'] < 3 && microtime(true) < $deadline) usleep(20000);
echo "dead: ", $jobs->stats('hooks')['dead'], "\n";
echo "requeued: ", $jobs->retryDead('hooks'), "\n";
jobs_wait($log, 6);
$deadline = microtime(true) + 5;
while ($jobs->stats('hooks')['dead'] < 3 && microtime(true) < $deadline) usleep(20000);
usleep(300000);
echo "attempts: ", count(jobs_attempts($log)), ", dead again: ", $jobs->stats('hooks')['dead'], "\n";
folk_stop_server($srv);
redis_stop($redis);
?>
--EXPECT--
dead: 3
requeued: 3
attempts: 6, dead again: 3
