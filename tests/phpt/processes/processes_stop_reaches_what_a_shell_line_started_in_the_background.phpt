--TEST--
The stop signal goes to the whole process group: a program a shell line started in the background (sh -c 'sleep & wait') ends with the shell, nothing is left running
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/processes_harness.php';
$file = tempnam(sys_get_temp_dir(), 'folk-bg-');
$srv = folk_start_server(['workers' => ['count' => 1], 'processes' => [
    'bg' => ['command' => "sleep 300 & echo \$! > $file; echo started sleep; wait", 'shell' => true, 'stop_timeout' => '5s'],
]]);
var_dump(process_wait_line($srv[3], 'bg.0', '/^started sleep$/'));
$sleep = (int) file_get_contents($file);
var_dump($sleep > 0 && file_exists("/proc/$sleep"));
$t = microtime(true);
[$code, $out] = folk_stop_server($srv);
printf("stopped %s\n", microtime(true) - $t < 3 ? 'at once' : 'WRONG: after the timeout');
$deadline = microtime(true) + 3;
while (microtime(true) < $deadline && file_exists("/proc/$sleep") && !preg_match('/\) Z /', (string) @file_get_contents("/proc/$sleep/stat"))) usleep(20000);
var_dump(!file_exists("/proc/$sleep") || preg_match('/\) Z /', (string) @file_get_contents("/proc/$sleep/stat")) === 1);
var_dump(str_contains($out, 'killed (SIGKILL)'));
unlink($file);
?>
--EXPECT--
bool(true)
bool(true)
stopped at once
bool(true)
bool(false)
