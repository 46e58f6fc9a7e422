--TEST--
An exception in a Symfony controller in worker mode: Symfony's own 500 page (no message), the same worker answers the next request
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('symfony')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
fw_fault('symfony', '/boom');
?>
--EXPECT--
/boom: 500
the framework's own error page
no internals
then /hello: 200 Hello, folk!
worker: kept, boots 1 -> 1
