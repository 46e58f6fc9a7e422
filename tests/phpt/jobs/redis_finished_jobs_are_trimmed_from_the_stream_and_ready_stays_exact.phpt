--TEST--
Redis: acknowledged entries are trimmed from the stream in bulk (it does not grow with the jobs run), and `ready` counts only jobs not handed out, also while a slow job keeps the oldest entry pending
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/redis_server.php'; if ($why = redis_unavailable()) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/redis_server.php';
require __DIR__ . '/../../fixtures/jobs_harness.php';
$redis = redis_start();
$log = jobs_log();
$cfg = ['driver' => 'redis', 'redis' => ['url' => $redis['url']], 'queues' => ['t' => ['concurrency' => 2]]];
$srv = jobs_server($cfg, ['workers' => ['count' => 3]]);
$jobs = new Folk\Jobs($cfg);
$xlen = fn () => (int) trim(redis_cli($redis['port'], 'XLEN', 'folk:{t}:ready'));
// The slow job is the oldest entry and stays pending while 1,000 quick ones behind it run.
$jobs->push('t', 'slow', ['log' => $log, 'us' => 3000000]);
usleep(300000);
$jobs->pushMany('t', array_map(fn ($i) => ['name' => 'record', 'payload' => ['log' => $log]], range(1, 1000)));
$deadline = microtime(true) + 20;
while ($jobs->stats('t')['done'] < 1000 && microtime(true) < $deadline) usleep(20000);
$s = $jobs->stats('t');
echo "the quick jobs are done while the slow one runs: ", $s['done'] === 1000 && $s['running'] === 1 ? 'yes' : 'no (' . json_encode($s) . ')', "\n";
// Their entries cannot be trimmed yet (the slow one is older and pending), yet none counts as ready.
echo "ready while they linger: ", $s['ready'], "\n";
$deadline = microtime(true) + 10;
while ($jobs->stats('t')['done'] < 1001 && microtime(true) < $deadline) usleep(20000);
usleep(300000); // the housekeeping trims every 50ms
$s = $jobs->stats('t');
var_dump([$s['ready'], $s['running'], $s['done']]);
// `~` trims whole stream nodes (100 entries each): at most the last node is left.
$left = $xlen();
echo "stream trimmed to at most one node: ", $left <= 100 ? 'yes' : "no ($left entries)", "\n";
folk_stop_server($srv);
redis_stop($redis);
?>
--EXPECT--
the quick jobs are done while the slow one runs: yes
ready while they linger: 0
array(3) {
  [0]=>
  int(0)
  [1]=>
  int(0)
  [2]=>
  int(1001)
}
stream trimmed to at most one node: yes
