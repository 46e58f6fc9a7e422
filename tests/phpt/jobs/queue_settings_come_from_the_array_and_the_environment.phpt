--TEST--
Queue settings jobs.queues.<name>.* come from the options array and from FOLK_JOBS_QUEUES_<NAME>_<KEY> (which wins); env names with '_' in the queue name resolve from the key end
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/jobs_harness.php';
$log = jobs_log();
// max_retries 5 in the array; the environment makes it 0, so the first failure is dead-lettered.
$srv = folk_start_server(['worker' => __DIR__ . '/../../fixtures/worker_jobs.php', 'workers' => ['count' => 2],
    'jobs' => ['driver' => 'memory', 'queues' => ['bulk_mail' => ['max_retries' => 5, 'retry_delay' => 0]]]],
    ['FOLK_JOBS_QUEUES_BULK_MAIL_MAX_RETRIES' => '0']);
jobs_push($srv, 'bulk_mail', [['name' => 'fail', 'payload' => ['log' => $log]]]);
$s = jobs_wait_stats($srv, 'bulk_mail', fn ($s) => $s['dead'] === 1);
usleep(200000);
var_dump($s['dead'], count(jobs_attempts($log)));
folk_stop_server($srv);
putenv('FOLK_JOBS_QUEUES_BULK_MAIL_CONCURRENCY=0');
try { new Folk\Server(['worker' => __DIR__ . '/../../fixtures/worker_jobs.php', 'jobs' => ['driver' => 'memory']]); }
catch (Folk\Exception\ConfigException $e) { echo $e->getMessage(), "\n"; }
?>
--EXPECT--
int(1)
int(1)
invalid option 'FOLK_JOBS_QUEUES_BULK_MAIL_CONCURRENCY (jobs.queues.bulk_mail.concurrency)': must be at least 1
