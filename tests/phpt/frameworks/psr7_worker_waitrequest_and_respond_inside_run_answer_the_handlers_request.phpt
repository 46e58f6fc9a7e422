--TEST--
Folk\Psr7\Worker::respond() throws outside a request; inside run()'s handler waitRequest() is the handler's request (it waits for none) and a second respond() throws
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('slim')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
$s = folk_start_server(['worker' => dirname(__DIR__, 2) . '/fixtures/frameworks_psr7_worker.php', 'workers' => ['count' => 1], 'server' => ['main_worker' => false]]);
[$st, , $b] = folk_http($s[2], "GET", "/pair");
echo "$st\n$b\n";
folk_stop_server($s);
?>
--EXPECT--
200
{"same request":true,"boot":{"respond":"LogicException"}}
{"second respond()":"LogicException"}
