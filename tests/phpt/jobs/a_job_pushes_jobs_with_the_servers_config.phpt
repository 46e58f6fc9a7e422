--TEST--
Inside a job, new Folk\Jobs() without options uses the server's jobs config and, for the memory driver, the same in-process broker: a job's follow-up job runs
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/jobs_harness.php';
$log = jobs_log();
$srv = jobs_server(['driver' => 'memory', 'queues' => ['q' => []]]);
$ids = jobs_push($srv, 'q', [['name' => 'chain', 'payload' => ['log' => $log]]]);
$a = jobs_wait($log, 2);
var_dump(array_column($a, 'name'), $a[1]['payload']['from'] === $ids[0]);
folk_stop_server($srv);
?>
--EXPECT--
array(2) {
  [0]=>
  string(5) "chain"
  [1]=>
  string(6) "record"
}
bool(true)
