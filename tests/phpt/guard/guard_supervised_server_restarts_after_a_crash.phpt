--TEST--
Crash supervision: a request that kills the server process with SIGSEGV is followed by a new server child on the same socket within 1 s; the parent logs the signal, a core-dump hint and the restart, and a clean SIGTERM still exits 0
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to crash and signal the server'; ?>
--FILE--
<?php
// Under make test-asan the server must die of the SIGSEGV it sends itself, not have ASan report it.
if (getenv('ASAN_OPTIONS') !== false) putenv('ASAN_OPTIONS=' . getenv('ASAN_OPTIONS') . ':handle_segv=0');
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic([
    'index.php' => '<?php echo getmypid(), " ", posix_getppid();',
    'crash.php' => '<?php posix_kill(getmypid(), SIGSEGV); sleep(5); echo "not crashed";',
], ['workers' => ['count' => 2], 'server' => ['supervise' => true]]);
$supervisor = proc_get_status($srv[0])['pid'];
[$s, , $b] = folk_http($srv[2], 'GET', '/');
[$child, $parent] = explode(' ', $b);
echo "$s, served by a child of the supervisor: ", $parent == $supervisor && $child != $supervisor ? 'yes' : "no ($b, supervisor $supervisor)", "\n";
[$s] = folk_http($srv[2], 'GET', '/crash.php', [], '', 5);
echo "the crashing request gets no answer: ", $s === 0 ? 'yes' : "no ($s)", "\n";
$t = microtime(true);
do {
    [$s, , $b] = folk_http($srv[2], 'GET', '/', [], '', 2);
} while ($s !== 200 && microtime(true) - $t < 5 && usleep(10000) === null);
$took = microtime(true) - $t;
[$child2, $parent2] = explode(' ', $b . ' ');
echo "answered again: $s, ", $took < 1 ? 'within 1 s' : sprintf('after %.0f ms', $took * 1000), "\n";
echo "by a new child of the same supervisor: ", $child2 != $child && $parent2 == $supervisor ? 'yes' : "no ($b)", "\n";
[$code, $log] = folk_stop_server($srv);
echo "exit $code\n";
foreach (['killed by SIGSEGV (signal 11)', 'core dump', 'restarting the server', 'the restarted server is ready', 'SIGTERM passed on to the server', 'supervisor exiting'] as $line) {
    echo "logged '$line': ", str_contains($log, $line) ? 'yes' : 'no', "\n";
}
if (!str_contains($log, 'core dump')) echo $log;
?>
--EXPECT--
200, served by a child of the supervisor: yes
the crashing request gets no answer: yes
answered again: 200, within 1 s
by a new child of the same supervisor: yes
exit 0
logged 'killed by SIGSEGV (signal 11)': yes
logged 'core dump': yes
logged 'restarting the server': yes
logged 'the restarted server is ready': yes
logged 'SIGTERM passed on to the server': yes
logged 'supervisor exiting': yes
