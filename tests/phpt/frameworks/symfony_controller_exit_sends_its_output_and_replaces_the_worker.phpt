--TEST--
exit() in a Symfony controller in worker mode: the client gets the output so far, the worker is replaced (a new boot) and the next request works
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('symfony')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
fw_fault('symfony', '/exit');
?>
--EXPECT--
/exit: 200
the output so far
then /hello: 200 Hello, folk!
worker: replaced, boots 1 -> 2
