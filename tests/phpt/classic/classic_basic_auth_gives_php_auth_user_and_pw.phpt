--TEST--
Classic mode: an Authorization: Basic header gives PHP_AUTH_USER and PHP_AUTH_PW
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic(['a.php' => '<?php echo $_SERVER["PHP_AUTH_USER"] ?? "-", ":", $_SERVER["PHP_AUTH_PW"] ?? "-";']);
echo folk_http($srv[2], 'GET', '/a.php', ['authorization' => 'Basic ' . base64_encode('alice:s3cret')])[2], "\n";
echo folk_http($srv[2], 'GET', '/a.php')[2], "\n";
folk_stop_server($srv);
?>
--EXPECT--
alice:s3cret
-:-
