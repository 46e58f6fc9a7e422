--TEST--
Laravel in worker mode on one worker thread: two clients alternate, each sees only its own session value, CSRF token and cookies (the sandbox forgets the session, cookie jar and auth per request)
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('laravel')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
fw_two_clients("laravel");
?>
--EXPECT--
a sees: nothing
a saves Alice: 200
b sees: nothing
b saves Bob: 200
a sees: Alice
b sees: Bob
a sees: Alice
a saves Ann: 200
b sees: Bob
a sees: Ann
tokens shared between the clients: 0
boots: 1
