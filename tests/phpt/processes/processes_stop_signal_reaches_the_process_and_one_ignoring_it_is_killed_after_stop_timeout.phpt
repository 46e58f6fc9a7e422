--TEST--
At the stop, each process group gets its stop_signal (the process sees SIGUSR1 or SIGTERM, though folk's threads block those signals), one that ignores SIGTERM is killed after stop_timeout; processes stop after HTTP drained, in reverse start order
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/processes_harness.php';
$srv = folk_start_server(['workers' => ['count' => 1], 'processes' => [
    'usr1' => ['command' => side_process('trap'), 'stop_signal' => 'usr1'],
    'term' => ['command' => side_process('trap')],
    'stubborn' => ['command' => side_process('ignore'), 'stop_timeout' => '1s'],
]]);
[, , $port, $log] = $srv;
foreach (['usr1.0' => '/^ready$/', 'term.0' => '/^ready$/', 'stubborn.0' => '/^ignoring TERM$/'] as $i => $p) var_dump(process_wait_line($log, $i, $p));
preg_match('/\[stubborn\.0\] started \(pid (\d+)\)/', file_get_contents($log), $m);
$t = microtime(true);
[$code, $out] = folk_stop_server($srv);
$took = microtime(true) - $t;
var_dump($code);
printf("stop took %s\n", $took >= 1.0 && $took < 4.0 ? 'stop_timeout and a little' : "WRONG: $took s");
var_dump(file_exists("/proc/{$m[1]}") && !str_contains((string) @file_get_contents("/proc/{$m[1]}/stat"), ') Z '));
foreach (['usr1.0', 'term.0', 'stubborn.0'] as $i) {
    preg_match_all('/\[' . preg_quote($i) . '\] ((?:got|stopping|still running|stopped).*)$/m', $out, $l);
    echo "$i: ", implode('; ', $l[1]), "\n";
}
$at = fn(string $s) => strpos($out, $s);
var_dump($at('HTTP server stopped\n') < $at('stopping side process stubborn'));
var_dump($at('stopping side process stubborn') < $at('stopping side process term'), $at('stopping side process term') < $at('stopping side process usr1'));
var_dump($at('stopping side process usr1') < $at('pool shut down'));
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
int(0)
stop took stop_timeout and a little
bool(false)
usr1.0: stopping: SIGUSR1 to its process group; got SIGUSR1; stopped
term.0: stopping: SIGTERM to its process group; got SIGTERM; stopped
stubborn.0: stopping: SIGTERM to its process group; still running 1s after SIGTERM: killed (SIGKILL); raise processes.stubborn.stop_timeout if it needs longer; stopped
bool(true)
bool(true)
bool(true)
bool(true)
