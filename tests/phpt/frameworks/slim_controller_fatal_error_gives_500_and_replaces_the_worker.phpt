--TEST--
A fatal (compile) error in a Slim controller in worker mode: 500 without internals, the worker is replaced and the next request works
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('slim')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
fw_fault("slim", "/fatal");
?>
--EXPECT--
/fatal: 500
no internals
then /hello: 200 Hello, folk!
worker: replaced, boots 1 -> 2
