--TEST--
A pool closed while its workers still boot (after reload()) stops those boots promptly and silently: no "Uncaught TimeoutException" on stdout, with errors displayed
--ENV--
FOLK_LOG=off
--INI--
display_errors=1
--FILE--
<?php
$fixture = __DIR__ . '/../../fixtures/worker_slow_reboot.php';
// The replacements sleep in the worker script when close() comes.
$pool = new Folk\Pool($fixture, ['workers' => ['count' => 2, 'boot_timeout' => '60s']]);
var_dump($pool->call('x', 1));
putenv('FOLK_SLOW_REBOOT=1');
$pool->reload();
usleep(200000);
$t = microtime(true);
$pool->close();
echo (microtime(true) - $t) < 5 ? "closed promptly\n" : "close hung\n";
putenv('FOLK_SLOW_REBOOT');
// The interrupt may also land in folk's own preamble, before the script runs.
for ($i = 0; $i < 30; $i++) {
    $pool = new Folk\Pool($fixture, ['workers' => ['count' => 2]]);
    $pool->reload();
    $pool->close();
}
echo "done\n";
?>
--EXPECT--
int(1)
closed promptly
done
