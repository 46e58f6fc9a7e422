--TEST--
restart = on_failure starts a process again after exit code 3 but not after exit code 0; restart = never leaves it ended after any exit; both are logged
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/processes_harness.php';
$quick = ['restart_delay' => '100ms', 'max_restarts' => 2];
$srv = folk_start_server(['workers' => ['count' => 1], 'processes' => [
    'clean' => ['command' => side_process('crash', '0'), 'restart' => 'on_failure'] + $quick,
    'failing' => ['command' => side_process('crash', '3'), 'restart' => 'on_failure'] + $quick,
    'once' => ['command' => side_process('crash', '3'), 'restart' => 'never'] + $quick,
]]);
[, , $port, $log] = $srv;
var_dump(process_wait_line($log, 'failing.0', '/^gave up/', 10));
var_dump(process_wait_line($log, 'clean.0', '/^not restarted/', 5), process_wait_line($log, 'once.0', '/^not restarted/', 5));
foreach (['clean.0', 'failing.0', 'once.0'] as $i) {
    $lines = process_lines($log, $i);
    printf("%s: %d runs; %s\n", $i, count(preg_grep('/^start /', $lines)), implode('; ', preg_grep('/^(not restarted|exited)/', $lines)));
}
folk_stop_server($srv);
?>
--EXPECTF--
bool(true)
bool(true)
bool(true)
clean.0: 1 runs; exited with code 0 after %fs; not restarted (restart = on_failure)
failing.0: 3 runs; exited with code 3 after %fs; exited with code 3 after %fs; exited with code 3 after %fs
once.0: 1 runs; exited with code 3 after %fs; not restarted (restart = never)
