--TEST--
Classic mode: X_Foo and X.Foo cannot spoof X-Foo in $_SERVER (dropped, as nginx does), and a Proxy header never becomes HTTP_PROXY
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic(['h.php' => '<?php var_dump($_SERVER["HTTP_X_REAL_IP"] ?? null, getenv("HTTP_PROXY") === (getenv("HTTP_PROXY", true)), isset($_SERVER["HTTP_PROXY"]));']);
echo folk_http($srv[2], 'GET', '/h.php', ['x_real_ip' => '6.6.6.6', 'x.real.ip' => '6.6.6.7', 'proxy' => 'http://evil:3128'])[2];
echo folk_http($srv[2], 'GET', '/h.php', ['x-real-ip' => '10.0.0.1', 'x_real_ip' => '6.6.6.6'])[2];
folk_stop_server($srv);
?>
--EXPECT--
NULL
bool(true)
bool(false)
string(8) "10.0.0.1"
bool(true)
bool(false)
