--TEST--
Jobs pushed with Folk\Jobs from an HTTP request run once each as "jobs.process" with queue, name, payload, id, attempt 1 and enqueued_at
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/jobs_harness.php';
$log = jobs_log();
$srv = jobs_server(['driver' => 'memory', 'queues' => ['mail' => ['concurrency' => 2]]]);
$before = microtime(true);
$ids = jobs_get($srv, '/push?queue=mail&n=50&log=' . urlencode($log));
var_dump(count($ids), count(array_unique($ids)));
$a = jobs_wait($log, 50);
usleep(200000); // any duplicate would show up by now
$a = jobs_attempts($log);
var_dump(count($a));
sort($ids);
$got = array_column($a, 'id');
sort($got);
var_dump($got === $ids);
$first = $a[0];
var_dump($first['queue'], $first['name'], $first['attempt'], $first['payload']['log'] === $log);
var_dump($first['enqueued_at'] >= $before - 1 && $first['enqueued_at'] <= microtime(true));
var_dump(array_sum(array_column(array_column($a, 'payload'), 'i')) === array_sum(range(0, 49)));
$s = jobs_get($srv, '/stats?queue=mail');
var_dump($s);
[$code, $out] = folk_stop_server($srv);
var_dump($code, str_contains($out, 'jobs plugin started'));
?>
--EXPECT--
int(50)
int(50)
int(50)
bool(true)
string(4) "mail"
string(6) "record"
int(1)
bool(true)
bool(true)
bool(true)
array(6) {
  ["ready"]=>
  int(0)
  ["delayed"]=>
  int(0)
  ["running"]=>
  int(0)
  ["dead"]=>
  int(0)
  ["done"]=>
  int(50)
  ["failed"]=>
  int(0)
}
int(0)
bool(true)
