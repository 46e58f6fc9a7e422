--TEST--
A job that throws is retried after retry_delay grown linearly (jittered down by at most 20%), max_retries times, then dead-lettered with its error; retryDead() runs it again from attempt 1
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/jobs_harness.php';
$log = jobs_log();
$srv = jobs_server(['driver' => 'memory', 'queues' => ['q' => ['max_retries' => 2, 'retry_delay' => '200ms', 'retry_backoff' => 'linear']]]);
jobs_push($srv, 'q', [['name' => 'fail', 'payload' => ['log' => $log]]]);
$a = jobs_wait($log, 3);
var_dump(array_column($a, 'attempt'));
$gap1 = $a[1]['at'] - $a[0]['at'];
$gap2 = $a[2]['at'] - $a[1]['at'];
echo "first retry after 160..400ms: ", ($gap1 >= 0.16 && $gap1 < 0.4) ? 'yes' : "no ($gap1)", "\n";
echo "second retry after 320..600ms: ", ($gap2 >= 0.32 && $gap2 < 0.6) ? 'yes' : "no ($gap2)", "\n";
var_dump($a[0]['last_error'], str_starts_with($a[2]['last_error'], 'RuntimeException: failure #2 in '));
$s = jobs_wait_stats($srv, 'q', fn ($s) => $s['dead'] === 1);
var_dump([$s['dead'], $s['failed'], $s['done'], $s['ready'], $s['delayed'], $s['running']]);
usleep(300000);
var_dump(count(jobs_attempts($log)));
var_dump(jobs_get($srv, '/retry-dead?queue=q'));
$a = jobs_wait($log, 4);
var_dump($a[3]['attempt'], str_starts_with($a[3]['last_error'], 'RuntimeException: failure #3 in '));
folk_stop_server($srv);
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
first retry after 160..400ms: yes
second retry after 320..600ms: yes
NULL
bool(true)
array(6) {
  [0]=>
  int(1)
  [1]=>
  int(3)
  [2]=>
  int(0)
  [3]=>
  int(0)
  [4]=>
  int(0)
  [5]=>
  int(0)
}
int(3)
int(1)
int(1)
bool(true)
