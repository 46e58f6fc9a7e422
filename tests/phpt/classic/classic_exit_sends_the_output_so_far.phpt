--TEST--
Classic mode: exit()/die() end the script and the output, headers and status so far are the response; the worker carries on
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic([
    'e.php' => '<?php http_response_code(202); header("X-Exit: 1"); echo "partial"; function f() { exit(3); } f(); echo "never";',
    'd.php' => '<?php ob_start(); echo "buffered "; die("died");',
    'ok.php' => '<?php echo "ok";',
]);
foreach (['/e.php', '/d.php', '/ok.php'] as $p) { [$s, $h, $b] = folk_http($srv[2], 'GET', $p); echo "$p $s $b ", $h['x-exit'][0] ?? '-', "\n"; }
folk_stop_server($srv);
?>
--EXPECT--
/e.php 202 partial 1
/d.php 200 buffered died -
/ok.php 200 ok -
