--TEST--
A job that calls exit() kills its worker: the worker is replaced, the attempt counts as failed with a WorkerDied error, and the job is retried
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/jobs_harness.php';
$log = jobs_log();
// Thread workers only: exit() in a handler on the main-thread worker ends the whole process
// today, for HTTP requests as for jobs (a runtime issue, reported separately).
$srv = jobs_server(['driver' => 'memory', 'queues' => ['q' => ['max_retries' => 1, 'retry_delay' => 0]]],
    ['workers' => ['count' => 2], 'server' => ['main_worker' => false]]);
jobs_push($srv, 'q', [['name' => 'exit', 'payload' => ['log' => $log]]]);
$a = jobs_wait($log, 2);
var_dump(array_column($a, 'attempt'));
var_dump(str_starts_with((string) $a[1]['last_error'], 'worker died during the job'));
$s = jobs_wait_stats($srv, 'q', fn ($s) => $s['dead'] === 1);
var_dump($s['dead']);
var_dump(folk_http($srv[2], 'GET', '/')[2]);
folk_stop_server($srv);
?>
--EXPECT--
array(2) {
  [0]=>
  int(1)
  [1]=>
  int(2)
}
bool(true)
int(1)
string(13) "Hello, World!"
