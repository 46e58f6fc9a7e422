--TEST--
A server starts and answers with the folk command's FOLK_PHP and FOLK_EXTENSION exported (they are bin/folk's, not options), while a misspelt FOLK_ variable beside them still stops it, named
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$command = ['FOLK_PHP' => PHP_BINARY, 'FOLK_EXTENSION' => folk_extension_path()];
$srv = folk_start_server(['workers' => ['count' => 1]], $command);
[$status, , $body] = folk_http($srv[2], 'GET', '/');
var_dump($status, $body);
[$code] = folk_stop_server($srv);
var_dump($code);

[$proc, , , $logfile, $script] = folk_start_server(['workers' => ['count' => 1]], $command + ['FOLK_WORKERS_CONT' => '2'], [], false);
$deadline = microtime(true) + 10;
while (proc_get_status($proc)['running'] && microtime(true) < $deadline) usleep(20000);
if (proc_get_status($proc)['running']) posix_kill(proc_get_status($proc)['pid'], 9);
proc_close($proc);
$log = file_get_contents($logfile);
@unlink($logfile); @unlink($script);
preg_match("/invalid option '[A-Z_]+': unknown environment variable/", $log, $m);
echo $m[0] ?? "no such error; log:\n$log", "\n";
?>
--EXPECT--
int(200)
string(13) "Hello, World!"
int(0)
invalid option 'FOLK_WORKERS_CONT': unknown environment variable
