--TEST--
Classic mode: a path that matches no file runs the front controller (index.php) with the original REQUEST_URI, as nginx try_files in front of php-fpm
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic(['index.php' => '<?php echo $_SERVER["SCRIPT_NAME"], " ", $_SERVER["REQUEST_URI"], " ", $_GET["q"] ?? "-";']);
echo folk_http($srv[2], 'GET', '/blog/2024/hello?q=1')[2], "\n";
folk_stop_server($srv);
?>
--EXPECT--
/index.php /blog/2024/hello?q=1 1
