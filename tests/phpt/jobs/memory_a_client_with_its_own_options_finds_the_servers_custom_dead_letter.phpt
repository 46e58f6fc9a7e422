--TEST--
Memory driver: a Folk\Jobs made with its own options (['driver' => 'memory'], no queue settings) in the server's process counts and requeues the dead letters under the name the server's queue was configured with
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/jobs_harness.php';
$log = jobs_log();
$srv = jobs_server(['driver' => 'memory', 'queues' => ['hooks' => ['max_retries' => 0, 'dead_letter' => 'hooks-dead']]]);
jobs_push($srv, 'hooks', array_fill(0, 3, ['name' => 'fail', 'payload' => ['log' => $log]]));
jobs_wait($log, 3);
$deadline = microtime(true) + 5;
while (($s = jobs_get($srv, '/stats?queue=hooks&driver=memory'))['dead'] < 3 && microtime(true) < $deadline) usleep(20000);
echo "dead: {$s['dead']}, failed: {$s['failed']}\n";
echo "requeued: ", jobs_get($srv, '/retry-dead?queue=hooks&driver=memory'), "\n";
$a = jobs_wait($log, 6);
echo "run again from attempt 1: ", implode(',', array_column(array_slice($a, 3), 'attempt')), "\n";
folk_stop_server($srv);
?>
--EXPECT--
dead: 3, failed: 3
requeued: 3
run again from attempt 1: 1,1,1
