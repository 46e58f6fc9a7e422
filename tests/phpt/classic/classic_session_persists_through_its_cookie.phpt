--TEST--
Classic mode: a session started in one request is found by the next through its PHPSESSID cookie, and a request without the cookie gets a fresh one
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$dir = sys_get_temp_dir() . '/folk-sess-' . getmypid();
@mkdir($dir);
$srv = folk_classic(['s.php' => '<?php session_save_path(' . var_export($dir, true) . '); session_start(); $_SESSION["n"] = ($_SESSION["n"] ?? 0) + 1; echo $_SESSION["n"];']);
[, $h, $b] = folk_http($srv[2], 'GET', '/s.php');
preg_match('/PHPSESSID=([^;]+)/', $h['set-cookie'][0], $m);
echo $b, folk_http($srv[2], 'GET', '/s.php', ['cookie' => "PHPSESSID=$m[1]"])[2], folk_http($srv[2], 'GET', '/s.php', ['cookie' => "PHPSESSID=$m[1]"])[2], folk_http($srv[2], 'GET', '/s.php')[2], "\n";
array_map('unlink', glob("$dir/*")); rmdir($dir);
folk_stop_server($srv);
?>
--EXPECT--
1231
