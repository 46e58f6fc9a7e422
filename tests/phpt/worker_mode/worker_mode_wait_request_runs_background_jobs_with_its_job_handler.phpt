--TEST--
Worker mode with the jobs plugin and a free-standing loop: jobs pushed from a request reach the waitRequest() worker between requests and run with its job handler, with no request's superglobals; without one they fail with an error that says how to pass it
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$log = tempnam(sys_get_temp_dir(), 'folk-wm-wait-jobs-');
$worker = <<<PHP
<?php
\$jobs = getenv('WITH_JOBS') ? function (string \$method, \$job) {
    file_put_contents('$log', "\$method {\$job['name']} {\$job['payload']['n']} " . (isset(\$_GET['n']) ? 'in a request' : 'outside a request') . "\\n", FILE_APPEND);
} : null;
while (Folk\Worker::waitRequest(\$jobs)) {
    \$ids = (new Folk\Jobs())->pushMany('mail', array_map(fn (\$n) => ['name' => 'welcome', 'payload' => ['n' => \$n]], range(1, (int) \$_GET['n'])));
    echo count(\$ids);
}
PHP;
foreach (['with a job handler' => '1', 'without' => ''] as $what => $flag) {
    file_put_contents($log, '');
    $root = folk_docroot(['worker.php' => $worker]);
    $srv = folk_start_server(['worker' => "$root/worker.php", 'workers' => ['count' => 2], 'server' => ['main_worker' => false],
        'jobs' => ['driver' => 'memory', 'queues' => ['mail' => ['max_retries' => 0]]]], ['WITH_JOBS' => $flag]);
    [$s, , $b] = folk_http($srv[2], 'GET', '/?n=5');
    $deadline = microtime(true) + 5;
    while (count(file($log)) < 5 && microtime(true) < $deadline && $flag) usleep(20000);
    if (!$flag) usleep(500000);
    $lines = file($log, FILE_IGNORE_NEW_LINES);
    sort($lines);
    echo "$what: $s pushed $b, ran ", count($lines), "\n", $lines ? implode("\n", $lines) . "\n" : '';
    [$code, $out] = folk_stop_server($srv);
    if (!$flag) var_dump(str_contains($out, 'Worker::waitRequest() without a job handler takes HTTP requests only'));
}
@unlink($log);
?>
--EXPECT--
with a job handler: 200 pushed 5, ran 5
jobs.process welcome 1 outside a request
jobs.process welcome 2 outside a request
jobs.process welcome 3 outside a request
jobs.process welcome 4 outside a request
jobs.process welcome 5 outside a request
without: 200 pushed 5, ran 0
bool(true)
