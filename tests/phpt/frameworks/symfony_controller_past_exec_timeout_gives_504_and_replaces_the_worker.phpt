--TEST--
A Symfony controller running past workers.exec_timeout in worker mode: 504, the worker is replaced and the next request works
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('symfony')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
fw_fault('symfony', '/slow');
?>
--EXPECT--
/slow: 504
no internals
then /hello: 200 Hello, folk!
worker: replaced, boots 1 -> 2
