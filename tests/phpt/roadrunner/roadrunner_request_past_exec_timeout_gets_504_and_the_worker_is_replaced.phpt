--TEST--
A RoadRunner worker's request stuck past workers.exec_timeout gets 504, whether the loop's catch turns the TimeoutException into $worker->error() or the application catches it and responds 200; the worker is replaced and the next request works
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('slim')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
$srv = folk_start_server(['worker' => dirname(__DIR__, 2) . '/fixtures/worker_roadrunner.php', 'workers' => ['count' => 1, 'exec_timeout' => '500ms'],
    'server' => ['main_worker' => false], 'http' => ['roadrunner_compat' => true]]);
$boot = json_decode(folk_http($srv[2], 'GET', '/count')[2], true)['boot'];
foreach (['/slow', '/slow-caught'] as $route) {
    $t = microtime(true);
    [$s, , $b] = folk_http($srv[2], 'GET', $route);
    $took = microtime(true) - $t;
    echo "$route: $s ", $took < 3 ? 'on time' : sprintf('late (%.1f s)', $took), "\n";
    [$s, , $b] = folk_http($srv[2], 'GET', '/count');
    $next = json_decode($b, true);
    echo "then /count: $s, ", $next['boot'] !== $boot ? 'a new worker' : 'THE SAME WORKER', "\n";
    $boot = $next['boot'];
}
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
/slow: 504 on time
then /count: 200, a new worker
/slow-caught: 504 on time
then /count: 200, a new worker
int(0)
