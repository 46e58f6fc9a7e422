--TEST--
Redis: a job that throws is retried with exponential backoff up to max_retries, then kept in the dead-letter stream with its last error; retryDead() from another process requeues it at attempt 1
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/redis_server.php'; if ($why = redis_unavailable()) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/redis_server.php';
require __DIR__ . '/../../fixtures/jobs_harness.php';
$redis = redis_start();
$log = jobs_log();
$cfg = ['driver' => 'redis', 'redis' => ['url' => $redis['url']], 'queues' => ['hooks' => ['max_retries' => 2, 'retry_delay' => '150ms', 'dead_letter' => 'hooks-dead']]];
$srv = jobs_server($cfg);
$jobs = new Folk\Jobs($cfg);
$jobs->push('hooks', 'fail', ['log' => $log], ['id' => 'hook-1']);
$a = jobs_wait($log, 3);
var_dump(array_column($a, 'attempt'));
$g1 = $a[1]['at'] - $a[0]['at']; $g2 = $a[2]['at'] - $a[1]['at'];
echo "backoff 150ms then 300ms (jittered down at most 20%, promoted within 100ms): ",
    ($g1 >= 0.12 && $g1 < 0.5 && $g2 >= 0.24 && $g2 < 0.7) ? 'yes' : "no ($g1, $g2)", "\n";
$deadline = microtime(true) + 5;
while ($jobs->stats('hooks')['dead'] < 1 && microtime(true) < $deadline) usleep(20000);
$s = $jobs->stats('hooks');
var_dump([$s['dead'], $s['failed'], $s['done']]);
$entry = redis_cli($redis['port'], 'XRANGE', 'folk:{hooks}:dl:hooks-dead', '-', '+');
echo "dead letter holds the error: ", str_contains($entry, 'RuntimeException: failure #3 in ') ? 'yes' : "no: $entry", "\n";
echo "and the job: ", str_contains($entry, '"id":"hook-1"') ? 'yes' : 'no', "\n";
var_dump($jobs->retryDead('hooks'));
$a = jobs_wait($log, 4);
var_dump($a[3]['attempt'], str_starts_with((string) $a[3]['last_error'], 'RuntimeException: failure #3'));
folk_stop_server($srv);
redis_stop($redis);
?>
--EXPECT--
array(3) {
  [0]=>
  int(1)
  [1]=>
  int(2)
  [2]=>
  int(3)
}
backoff 150ms then 300ms (jittered down at most 20%, promoted within 100ms): yes
array(3) {
  [0]=>
  int(1)
  [1]=>
  int(3)
  [2]=>
  int(0)
}
dead letter holds the error: yes
and the job: yes
int(1)
int(1)
bool(true)
