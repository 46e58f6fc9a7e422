--TEST--
Redis: 300 jobs pushed with pushMany() from a plain CLI script run once each on a server sharing the Redis; stats count them done
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/redis_server.php'; if ($why = redis_unavailable()) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/redis_server.php';
require __DIR__ . '/../../fixtures/jobs_harness.php';
$redis = redis_start();
$log = jobs_log();
$srv = jobs_server(['driver' => 'redis', 'redis' => ['url' => $redis['url']], 'queues' => ['mail' => ['concurrency' => 4]]]);
$jobs = new Folk\Jobs(['driver' => 'redis', 'redis' => ['url' => $redis['url']]]);
$ids = [];
for ($b = 0; $b < 3; $b++) {
    $ids = array_merge($ids, $jobs->pushMany('mail', array_map(fn ($i) => ['name' => 'record', 'payload' => ['log' => $log, 'i' => $b * 100 + $i]], range(0, 99))));
}
var_dump(count(array_unique($ids)));
jobs_wait($log, 300, 20);
usleep(300000);
$a = jobs_attempts($log);
$got = array_column($a, 'id');
sort($got); sort($ids);
var_dump(count($a), $got === $ids, array_unique(array_column($a, 'attempt')));
$s = $jobs->stats('mail');
var_dump([$s['done'], $s['ready'], $s['running'], $s['failed']]);
folk_stop_server($srv);
redis_stop($redis);
?>
--EXPECT--
int(300)
int(300)
bool(true)
array(1) {
  [0]=>
  int(1)
}
array(4) {
  [0]=>
  int(300)
  [1]=>
  int(0)
  [2]=>
  int(0)
  [3]=>
  int(0)
}
