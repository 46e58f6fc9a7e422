--TEST--
When jobs of two queues wait for the one job slot, the higher-priority queue's jobs all start before the lower one's, but for the one job already queued ahead for that slot
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/jobs_harness.php';
$log = jobs_log();
// Two worker slots: jobs may use one (the other is kept for HTTP).
$srv = jobs_server(['driver' => 'memory', 'queues' => ['low' => ['concurrency' => 4, 'priority' => 0], 'high' => ['concurrency' => 4, 'priority' => 10]]],
    ['workers' => ['count' => 2], 'server' => ['main_worker' => false]]);
jobs_push($srv, 'low', [['name' => 'slow', 'payload' => ['log' => $log, 'us' => 400000, 'n' => 'blocker']]]);
usleep(100000); // the blocker holds the job slot
jobs_push($srv, 'low', array_map(fn ($i) => ['name' => 'record', 'payload' => ['log' => $log, 'n' => "low$i"]], range(1, 3)));
jobs_push($srv, 'high', array_map(fn ($i) => ['name' => 'record', 'payload' => ['log' => $log, 'n' => "high$i"]], range(1, 3)));
$a = jobs_wait($log, 7);
// low1 was queued in the pool's background lane (one job per job slot waits there, so a worker
// that finishes a job takes the next at once) before the high jobs came; the rest of the low
// jobs waited at the gate, where the high ones pass first.
echo implode(' ', array_map(fn ($x) => preg_replace('/\d$/', '', $x['payload']['n']), $a)), "\n";
folk_stop_server($srv);
?>
--EXPECT--
blocker low high high high low low
