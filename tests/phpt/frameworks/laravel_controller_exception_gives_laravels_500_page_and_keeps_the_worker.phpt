--TEST--
An exception in a Laravel controller in worker mode: Laravel's own 500 page (no message), the same worker answers the next request
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('laravel')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
fw_fault('laravel', '/boom');
?>
--EXPECT--
/boom: 500
the framework's own error page
no internals
then /hello: 200 Hello, folk!
worker: kept, boots 1 -> 1
