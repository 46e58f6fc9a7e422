--TEST--
Each line a side process writes is a log line prefixed [name.N] (stdout at INFO, stderr at WARN); every instance of numprocs (here from FOLK_PROCESSES_ENV_NUMPROCS) gets its env, FOLK_PROCESS_NAME and FOLK_PROCESS_INDEX, and runs in its directory; a shell line runs with shell = true
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/processes_harness.php';
$dir = sys_get_temp_dir();
$srv = folk_start_server(['workers' => ['count' => 1], 'processes' => [
    'env' => ['command' => side_process('env'), 'numprocs' => 1, 'directory' => $dir, 'env' => ['GREETING' => 'hello world']],
    'sh' => ['command' => 'echo "one $FOLK_PROCESS_NAME"; echo two 1>&2; exec sleep 30', 'shell' => true],
]], ['FOLK_PROCESSES_ENV_NUMPROCS' => '2']);
[, , $port, $log] = $srv;
foreach (['env.0', 'env.1'] as $i) var_dump(process_wait_line($log, $i, '/^a line on stderr$/'));
var_dump(process_wait_line($log, 'sh.0', '/^two$/'));
$text = file_get_contents($log);
// stdout and stderr are read apart, so their lines' order between them is not kept: sorted.
foreach (['env.0', 'env.1', 'sh.0'] as $i) {
    $lines = array_filter(process_lines($log, $i), fn($l) => !str_starts_with($l, 'started'));
    sort($lines);
    foreach ($lines as $l) echo "[$i] ", str_replace($dir, 'TMP', $l), "\n";
}
var_dump(preg_match('/INFO.*\[env\.1\] name=env\.1/', $text), preg_match('/WARN.*\[env\.1\] a line on stderr/', $text));
folk_stop_server($srv);
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
[env.0] a line on stderr
[env.0] name=env.0 index=0 greeting=hello world cwd=TMP
[env.1] a line on stderr
[env.1] name=env.1 index=1 greeting=hello world cwd=TMP
[sh.0] one sh.0
[sh.0] two
int(1)
int(1)
