--TEST--
A side process that crashes is restarted after restart_delay, doubled after each short run (0.2 s, 0.4 s, 0.8 s); after max_restarts short runs in a row it is given up: logged as an error, folk_process_state failed, folk_process_restarts_total counts the restarts
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/processes_harness.php';
$mport = folk_free_port();
$srv = folk_start_server(['workers' => ['count' => 1], 'metrics' => ['listen' => "127.0.0.1:$mport"], 'processes' => [
    'crash' => ['command' => side_process('crash', '3'), 'restart_delay' => '200ms', 'restart_delay_max' => '10s', 'max_restarts' => 3, 'ready_after' => '1s'],
]]);
[, , $port, $log] = $srv;
var_dump(process_wait_line($log, 'crash.0', '/^gave up/', 10));
$starts = [];
foreach (process_lines($log, 'crash.0') as $l) if (preg_match('/^start ([\d.]+)$/', $l, $m)) $starts[] = (float) $m[1];
echo count($starts), " runs\n";
foreach ([0.2, 0.4, 0.8] as $i => $want) {
    $gap = $starts[$i + 1] - $starts[$i];
    printf("gap %d: %s (%.3f s)\n", $i + 1, $gap >= $want && $gap < $want + 0.5 ? "about {$want} s" : 'WRONG', $gap);
}
$lines = process_lines($log, 'crash.0');
var_dump(count(preg_grep('/^exited with code 3 after \d+\.\ds$/', $lines)));
var_dump(array_values(preg_grep('/^restarting in/', $lines)));
var_dump(preg_match('/ERROR.*\[crash\.0\] gave up: it ended within ready_after \(1s\) 4 times in a row/', file_get_contents($log)));
$metrics = folk_http($mport, 'GET', '/metrics')[2];
var_dump(str_contains($metrics, 'folk_process_state{name="crash",instance="0",state="failed"} 1'));
var_dump(str_contains($metrics, 'folk_process_restarts_total{name="crash"} 3'));
var_dump(str_contains($metrics, 'folk_process_up{name="crash",instance="0"} 0'));
var_dump(folk_http($port, 'GET', '/')[0]);
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECTF--
bool(true)
4 runs
gap 1: about 0.2 s (%f s)
gap 2: about 0.4 s (%f s)
gap 3: about 0.8 s (%f s)
int(4)
array(3) {
  [0]=>
  string(19) "restarting in 200ms"
  [1]=>
  string(19) "restarting in 400ms"
  [2]=>
  string(19) "restarting in 800ms"
}
int(1)
bool(true)
bool(true)
bool(true)
int(200)
int(0)
