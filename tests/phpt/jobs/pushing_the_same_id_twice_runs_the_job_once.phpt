--TEST--
A push with an idempotency 'id' seen before is a no-op that returns the same id; other ids and other queues are not affected
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/jobs_harness.php';
$log = jobs_log();
$srv = jobs_server(['driver' => 'memory', 'queues' => ['a' => [], 'b' => []]]);
var_dump(jobs_push($srv, 'a', [['name' => 'record', 'payload' => ['log' => $log, 'n' => 1], 'id' => 'welcome-42']]));
var_dump(jobs_push($srv, 'a', [['name' => 'record', 'payload' => ['log' => $log, 'n' => 2], 'id' => 'welcome-42'], ['name' => 'record', 'payload' => ['log' => $log, 'n' => 3], 'id' => 'welcome-43']]));
jobs_push($srv, 'b', [['name' => 'record', 'payload' => ['log' => $log, 'n' => 4], 'id' => 'welcome-42']]);
jobs_wait($log, 3);
usleep(300000);
$n = array_column(array_column(jobs_attempts($log), 'payload'), 'n');
sort($n);
var_dump($n);
folk_stop_server($srv);
?>
--EXPECT--
array(1) {
  [0]=>
  string(10) "welcome-42"
}
array(2) {
  [0]=>
  string(10) "welcome-42"
  [1]=>
  string(10) "welcome-43"
}
array(3) {
  [0]=>
  int(1)
  [1]=>
  int(3)
  [2]=>
  int(4)
}
