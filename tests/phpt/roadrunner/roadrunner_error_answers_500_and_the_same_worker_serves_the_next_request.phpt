--TEST--
A RoadRunner worker that calls $worker->error() for a failed request: that client gets a bare 500 (no exception text), the message goes to folk's log, and the same worker (same boot, its counter going on) serves the next request with 200
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('slim')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
$srv = folk_start_server(['worker' => dirname(__DIR__, 2) . '/fixtures/worker_roadrunner.php', 'workers' => ['count' => 1],
    'server' => ['main_worker' => false], 'http' => ['roadrunner_compat' => true]]);
$count = fn() => json_decode(folk_http($srv[2], 'GET', '/count')[2], true);
$before = $count();
echo "before: served {$before['served']}\n";
[$s, , $b] = folk_http($srv[2], 'GET', '/error');
echo "/error: $s ", str_contains($b, 'secret') ? 'LEAKS THE MESSAGE' : trim($b), "\n";
$after = $count();
echo "after: served {$after['served']}, ", $after['boot'] === $before['boot'] ? 'same worker' : 'ANOTHER WORKER', "\n";
[$code, $log] = folk_stop_server($srv);
var_dump($code, str_contains($log, 'RuntimeException: app failed: secret detail'));
?>
--EXPECT--
before: served 1
/error: 500 500 Internal Server Error
after: served 3, same worker
int(0)
bool(true)
