--TEST--
/readyz answers 503 naming a required side process until it has run for ready_after, then 200; folk_process_up shows it; a process that is not required never holds readiness back
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/processes_harness.php';
$mport = folk_free_port();
$srv = folk_start_server(['workers' => ['count' => 1], 'metrics' => ['listen' => "127.0.0.1:$mport"], 'processes' => [
    'optional' => ['command' => side_process('crash', '1'), 'restart_delay' => '10s'],
    'search' => ['command' => side_process('trap'), 'required' => true, 'ready_after' => '2s'],
]]);
[, , $port, $log] = $srv;
$t = microtime(true);
// The workers may still be booting: wait (bounded) until that is not the reason.
do { [$s, , $body] = folk_http($mport, 'GET', '/readyz'); } while (str_contains($body, 'worker') && microtime(true) - $t < 1.0 && usleep(20000) === null);
echo $s, ' ', trim($body), "\n";
$deadline = microtime(true) + 10;
while (microtime(true) < $deadline && folk_http($mport, 'GET', '/readyz')[0] !== 200) usleep(50000);
$took = microtime(true) - $t;
printf("ready after %s\n", $took >= 1.5 && $took < 4 ? 'about ready_after' : "WRONG: $took s");
echo trim(folk_http($mport, 'GET', '/readyz')[2]), "\n";
$metrics = folk_http($mport, 'GET', '/metrics')[2];
var_dump(str_contains($metrics, 'folk_process_up{name="search",instance="0"} 1'), str_contains($metrics, 'folk_process_up{name="optional",instance="0"} 0'));
folk_stop_server($srv);
?>
--EXPECT--
503 not ready: required process search.0 is not up (running)
ready after about ready_after
ready
bool(true)
bool(true)
