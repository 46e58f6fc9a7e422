--TEST--
Worker mode: the worker script boots once for many requests; when the worker must stop (max_jobs) handleRequest() returns false, the code after the loop runs, and a fresh worker takes over
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$log = sys_get_temp_dir() . '/folk-boots-' . getmypid();
@unlink($log);
$worker = <<<PHP
<?php
file_put_contents('$log', "boot\\n", FILE_APPEND);
\$boot = bin2hex(random_bytes(4));
\$n = 0;
while (Folk\Worker::handleRequest(function () use (\$boot, &\$n) { \$n++; echo "\$boot \$n"; })) {}
file_put_contents('$log', "ended after \$n\\n", FILE_APPEND);
PHP;
$srv = folk_worker_mode($worker, [], ['workers' => ['max_jobs' => 5]]);
$port = $srv[2];
$seen = [];
for ($i = 0; $i < 12; $i++) { [, , $b] = folk_http($port, 'GET', '/'); [$boot, $n] = explode(' ', $b); $seen[$boot][] = (int) $n; }
foreach ($seen as $ns) echo implode(',', $ns), "\n";
[$code] = folk_stop_server($srv);
echo file_get_contents($log);
@unlink($log);
var_dump($code);
?>
--EXPECT--
1,2,3,4,5
1,2,3,4,5
1,2
boot
ended after 5
boot
ended after 5
boot
ended after 2
int(0)
