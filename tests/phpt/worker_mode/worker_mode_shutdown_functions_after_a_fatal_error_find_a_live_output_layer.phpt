--TEST--
Worker mode: after a fatal error in a request, the worker's shutdown functions (as Symfony's and Laravel's error handlers register) may use ob_start() and header(): the request gets its 500, the worker is replaced, nothing crashes
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$worker = <<<'PHP'
<?php
register_shutdown_function(function () { ob_start(); header('X-From-Shutdown: 1'); echo "shutdown output"; ob_end_flush(); });
while (Folk\Worker::handleRequest(function () {
    if ($_SERVER['REQUEST_URI'] === '/fatal') eval('function twice(){} function twice(){}');
    echo "ok";
})) {}
PHP;
$srv = folk_worker_mode($worker);
foreach (['/', '/fatal', '/', '/fatal', '/'] as $p) { [$s, , $b] = folk_http($srv[2], 'GET', $p); echo "$p $s ", $s === 200 ? $b : '', "\n"; }
[$code, $log] = folk_stop_server($srv);
var_dump($code, str_contains($log, 'signal') || str_contains($log, 'panicked'));
?>
--EXPECT--
/ 200 ok
/fatal 500 
/ 200 ok
/fatal 500 
/ 200 ok
int(0)
bool(false)
