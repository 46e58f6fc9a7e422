--TEST--
Classic mode: setcookie() and setrawcookie() send one Set-Cookie each, in order, in PHP's format
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic(['c.php' => '<?php setcookie("a", "v 1"); setrawcookie("b", "raw%20v"); setcookie("c", "3", ["expires" => 1, "path" => "/p", "domain" => "example.com", "secure" => true, "httponly" => true, "samesite" => "Strict"]); setcookie("gone", "");']);
[, $h] = folk_http($srv[2], 'GET', '/c.php');
foreach ($h['set-cookie'] as $c) echo preg_replace('/expires=[^;]+/', 'expires=X', $c), "\n";
folk_stop_server($srv);
?>
--EXPECT--
a=v%201
b=raw%20v
c=3; expires=X; Max-Age=0; path=/p; domain=example.com; secure; HttpOnly; SameSite=Strict
gone=deleted; expires=X; Max-Age=0
