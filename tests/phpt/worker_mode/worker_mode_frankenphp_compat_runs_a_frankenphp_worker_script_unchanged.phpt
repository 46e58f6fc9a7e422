--TEST--
http.frankenphp_compat: a worker script written for FrankenPHP (boot-time FRANKENPHP_WORKER check, a frankenphp_handle_request() loop bounded by MAX_REQUESTS, frankenphp_finish_request()) runs unchanged; without the option neither the function nor the variable exists
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
// The shape of Laravel Octane's bin/frankenphp-worker.php and Symfony's FrankenPhpWorkerRunner.
$worker = <<<'PHP'
<?php
if ((!($_SERVER['FRANKENPHP_WORKER'] ?? false)) || !function_exists('frankenphp_handle_request')) {
    $exists = function_exists('frankenphp_handle_request') ? 'yes' : 'no';
    while (Folk\Worker::handleRequest(function () use ($exists) { echo "not a FrankenPHP worker; function exists: $exists"; })) {}
    return;
}
$boot = bin2hex(random_bytes(3));
$n = 0;
$handler = static function () use (&$n, $boot) {
    $n++;
    echo "$boot n=$n worker=", $_SERVER['FRANKENPHP_WORKER'], " uri=", $_SERVER['REQUEST_URI'];
    if (isset($_GET['finish'])) { frankenphp_finish_request(); echo " dropped"; }
};
$max = 3;
for ($nbRequests = 0; !$max || $nbRequests < $max; ++$nbRequests) {
    $keepRunning = \frankenphp_handle_request($handler);
    gc_collect_cycles();
    if (!$keepRunning) break;
}
PHP;
$srv = folk_worker_mode($worker, [], ['http' => ['frankenphp_compat' => true]]);
$boots = [];
foreach (['/a', '/b?finish=1', '/c', '/d', '/e'] as $p) {
    [$s, , $b] = folk_http($srv[2], 'GET', $p);
    [$boot, $rest] = explode(' ', $b, 2);
    $boots[$boot] = true;
    echo "$s $rest\n";
}
echo count($boots), " boots\n";
folk_stop_server($srv);
$srv = folk_worker_mode($worker);
[$s, , $b] = folk_http($srv[2], 'GET', '/');
echo "$s $b\n";
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
200 n=1 worker=1 uri=/a
200 n=2 worker=1 uri=/b?finish=1
200 n=3 worker=1 uri=/c
200 n=1 worker=1 uri=/d
200 n=2 worker=1 uri=/e
2 boots
200 not a FrankenPHP worker; function exists: no
int(0)
