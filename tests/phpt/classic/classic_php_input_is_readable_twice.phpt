--TEST--
Classic mode: php://input holds the raw body, readable twice, for a JSON POST and for PUT and PATCH; $_POST stays empty for them
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic(['in.php' => '<?php echo $_SERVER["REQUEST_METHOD"], " ", file_get_contents("php://input"), " ", file_get_contents("php://input"), " ", json_encode($_POST), " ", $_SERVER["CONTENT_LENGTH"];']);
foreach (['POST', 'PUT', 'PATCH'] as $m) echo folk_http($srv[2], $m, '/in.php', ['content-type' => 'application/json'], '{"a":1}')[2], "\n";
folk_stop_server($srv);
?>
--EXPECT--
POST {"a":1} {"a":1} [] 7
PUT {"a":1} {"a":1} [] 7
PATCH {"a":1} {"a":1} [] 7
