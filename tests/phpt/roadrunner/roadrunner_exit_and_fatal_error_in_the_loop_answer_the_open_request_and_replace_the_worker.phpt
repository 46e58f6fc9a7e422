--TEST--
exit() and a fatal error inside a RoadRunner worker's loop, with a request open and no folk frame on the stack: exit() answers with the status and output so far, the fatal error with a bare 500 (nothing of the output or PHP's message), and each time the worker is replaced (a new boot) and serves the next request
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('slim')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
$srv = folk_start_server(['worker' => dirname(__DIR__, 2) . '/fixtures/worker_roadrunner.php', 'workers' => ['count' => 1],
    'server' => ['main_worker' => false], 'http' => ['roadrunner_compat' => true]]);
$boot = json_decode(folk_http($srv[2], 'GET', '/count')[2], true)['boot'];
foreach (['/exit', '/fatal'] as $route) {
    [$s, , $b] = folk_http($srv[2], 'GET', $route);
    echo "$route: $s ", str_contains($b, 'secret') || str_contains($b, 'Fatal') ? 'LEAKS' : trim($b), "\n";
    [$s, , $b] = folk_http($srv[2], 'GET', '/count');
    $next = json_decode($b, true);
    echo "then /count: $s, ", $next['boot'] !== $boot ? 'a new worker' : 'THE SAME WORKER', ", served {$next['served']}\n";
    $boot = $next['boot'];
}
[$code, $log] = folk_stop_server($srv);
var_dump($code, str_contains($log, 'exit() was called'), str_contains($log, 'custom fatal in the loop'), str_contains($log, 'panicked'));
?>
--EXPECT--
/exit: 202 partial output before exit
then /count: 200, a new worker, served 1
/fatal: 500 500 Internal Server Error
then /count: 200, a new worker, served 1
int(0)
bool(true)
bool(true)
bool(false)
