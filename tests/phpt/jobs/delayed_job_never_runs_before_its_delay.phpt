--TEST--
A job pushed with a delay is counted as delayed and never runs before the delay has passed; one without a delay runs at once
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/jobs_harness.php';
$log = jobs_log();
$srv = jobs_server(['driver' => 'memory', 'queues' => ['q' => ['concurrency' => 4]]]);
$t0 = microtime(true);
jobs_push($srv, 'q', [
    ['name' => 'record', 'payload' => ['log' => $log, 'd' => 0.6], 'delay' => '600ms'],
    ['name' => 'record', 'payload' => ['log' => $log, 'd' => 0.3], 'delay' => 0.3],
    ['name' => 'record', 'payload' => ['log' => $log, 'd' => 0]],
]);
$s = jobs_get($srv, '/stats?queue=q');
var_dump($s['delayed']);
$a = jobs_wait($log, 3);
foreach ($a as $x) {
    $d = $x['payload']['d'];
    $late = $x['at'] - $t0;
    echo "delay $d: ", $late >= $d ? 'not early' : "EARLY ($late)", $late < $d + 1.0 ? ', on time' : ", late ($late)", "\n";
}
var_dump(jobs_get($srv, '/stats?queue=q')['delayed']);
folk_stop_server($srv);
?>
--EXPECT--
int(2)
delay 0: not early, on time
delay 0.3: not early, on time
delay 0.6: not early, on time
int(0)
