--TEST--
Redis: 300 delayed jobs promoted by two servers at once (each promotes every 50ms) all run exactly once and none before its delay
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/redis_server.php'; if ($why = redis_unavailable()) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/redis_server.php';
require __DIR__ . '/../../fixtures/jobs_harness.php';
$redis = redis_start();
$log = jobs_log();
$cfg = ['driver' => 'redis', 'redis' => ['url' => $redis['url']], 'queues' => ['q' => ['concurrency' => 4]]];
$a = jobs_server($cfg);
$b = jobs_server($cfg);
$jobs = new Folk\Jobs($cfg);
$ids = [];
foreach (array_chunk(range(1, 300), 100) as $chunk) {
    $ids = array_merge($ids, $jobs->pushMany('q', array_map(fn ($i) => ['name' => 'record', 'payload' => ['log' => $log, 'delay' => ($i % 10) * 0.1], 'delay' => ($i % 10) * 0.1], $chunk)));
}
jobs_wait($log, 300, 20);
usleep(500000);
$all = jobs_attempts($log);
$got = array_column($all, 'id');
var_dump(count($all), count(array_unique($got)));
sort($got); sort($ids);
var_dump($got === $ids);
// enqueued_at is the pusher's clock, the delay runs on Redis's: same machine, ms resolution.
$early = array_filter($all, fn ($x) => $x['at'] < $x['enqueued_at'] + $x['payload']['delay'] - 0.002);
echo "early: ", count($early), "\n";
folk_stop_server($a);
folk_stop_server($b);
redis_stop($redis);
?>
--EXPECT--
int(300)
int(300)
bool(true)
early: 0
