--TEST--
Redis: a reclaimed job's interrupted attempt counts as failed, so a job whose server dies during its last allowed attempt is dead-lettered with that reason instead of crashing servers forever
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/redis_server.php'; if ($why = redis_unavailable()) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/redis_server.php';
require __DIR__ . '/../../fixtures/jobs_harness.php';
$redis = redis_start();
$log = jobs_log();
$cfg = ['driver' => 'redis', 'redis' => ['url' => $redis['url']], 'visibility_timeout' => '1s', 'queues' => ['q' => ['max_retries' => 1]]];
$jobs = new Folk\Jobs($cfg);
$jobs->push('q', 'work', ['log' => $log, 'us' => 3000000]);
foreach ([1, 2] as $attempt) {
    $srv = jobs_server($cfg);
    $deadline = microtime(true) + 10;
    while (count(jobs_attempts($log)) < $attempt && microtime(true) < $deadline) usleep(10000);
    folk_stop_server($srv, 9);   // the server dies during the attempt
}
$srv = jobs_server($cfg);
$deadline = microtime(true) + 10;
while ($jobs->stats('q')['dead'] < 1 && microtime(true) < $deadline) usleep(20000);
usleep(300000);
var_dump(array_column(jobs_attempts($log), 'attempt'));
$s = $jobs->stats('q');
var_dump([$s['dead'], $s['running'], $s['ready']]);
$entry = redis_cli($redis['port'], 'XRANGE', 'folk:{q}:dl:q.dead', '-', '+');
echo "dead letter names the reason: ", str_contains($entry, 'the server running attempt 2 stopped renewing it') ? 'yes' : "no: $entry", "\n";
folk_stop_server($srv);
redis_stop($redis);
?>
--EXPECT--
array(2) {
  [0]=>
  int(1)
  [1]=>
  int(2)
}
array(3) {
  [0]=>
  int(1)
  [1]=>
  int(0)
  [2]=>
  int(0)
}
dead letter names the reason: yes
