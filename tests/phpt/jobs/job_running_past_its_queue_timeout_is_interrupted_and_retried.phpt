--TEST--
A job running past its queue's timeout (shorter than workers.exec_timeout) is interrupted by folk's hard timeout, counted as a failed attempt and retried; HTTP keeps answering meanwhile
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/jobs_harness.php';
$log = jobs_log();
$srv = jobs_server(['driver' => 'memory', 'queues' => ['q' => ['timeout' => '300ms', 'max_retries' => 1, 'retry_delay' => 0]]],
    ['workers' => ['count' => 2, 'exec_timeout' => '30s']]);
$t0 = microtime(true);
jobs_push($srv, 'q', [['name' => 'sleep', 'payload' => ['log' => $log]]]);
var_dump(folk_http($srv[2], 'GET', '/')[2]);
$a = jobs_wait($log, 2);
var_dump(array_column($a, 'attempt'));
$gap = $a[1]['at'] - $a[0]['at'];
echo "retried after the 300ms timeout, not 30s: ", ($gap >= 0.28 && $gap < 3) ? 'yes' : "no ($gap)", "\n";
var_dump(str_contains($a[1]['last_error'], 'exec_timeout of 300ms'));
$s = jobs_wait_stats($srv, 'q', fn ($s) => $s['dead'] === 1);
var_dump($s['dead'], $s['failed']);
echo "both attempts ended within 3s: ", microtime(true) - $t0 < 3 ? 'yes' : 'no', "\n";
folk_stop_server($srv);
?>
--EXPECT--
string(13) "Hello, World!"
array(2) {
  [0]=>
  int(1)
  [1]=>
  int(2)
}
retried after the 300ms timeout, not 30s: yes
bool(true)
int(1)
int(2)
both attempts ended within 3s: yes
