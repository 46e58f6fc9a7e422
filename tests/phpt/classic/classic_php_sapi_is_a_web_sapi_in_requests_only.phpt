--TEST--
Classic mode: PHP_SAPI and php_sapi_name() are "fpm-fcgi" in a request (no STDIN, no $argv), while the main php-cli thread and Folk\Pool workers keep "cli"
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic(['n.php' => '<?php echo json_encode([PHP_SAPI, php_sapi_name(), defined("STDIN"), isset($argv), isset($argc)]);']);
echo folk_http($srv[2], 'GET', '/n.php')[2], "\n";
$w = tempnam(sys_get_temp_dir(), 'folk-w') . '.php';
file_put_contents($w, '<?php Folk\Worker::serve(fn() => [PHP_SAPI, php_sapi_name()]);');
$pool = new Folk\Pool($w, ['workers' => ['count' => 1]]);
echo json_encode([PHP_SAPI, php_sapi_name(), $pool->call('x')]), "\n";
$pool->close();
unlink($w);
folk_stop_server($srv);
?>
--EXPECT--
["fpm-fcgi","fpm-fcgi",false,false,false]
["cli","cli",["cli","cli"]]
