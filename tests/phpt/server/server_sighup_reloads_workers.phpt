--TEST--
SIGHUP reloads the workers: new code is served, no request fails, the main thread stops taking jobs
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$file = sys_get_temp_dir() . '/folk_http_version';
file_put_contents($file, 'v1');
$srv = folk_start_server(['workers' => ['count' => 2]]);
var_dump(folk_http($srv[2], 'GET', '/version')[2]);
file_put_contents($file, 'v2');
// The worker reads the file per request; reload is about the workers being replaced:
// /thread must only ever answer 'thread' once the main thread retired.
posix_kill(proc_get_status($srv[0])['pid'], SIGHUP);
$deadline = microtime(true) + 5;
$failed = 0; $threadOnly = 0;
while (microtime(true) < $deadline && $threadOnly < 20) {
    [$s, , $b] = folk_http($srv[2], 'GET', '/thread');
    if ($s !== 200) $failed++;
    $threadOnly = $b === 'thread' ? $threadOnly + 1 : 0;
}
var_dump($failed, $threadOnly >= 20);
[$code, $log] = folk_stop_server($srv);
var_dump($code, str_contains($log, 'SIGHUP'));
unlink($file);
?>
--EXPECT--
string(2) "v1"
int(0)
bool(true)
int(0)
bool(true)
