--TEST--
Classic mode: http_response_code() sets the status and returns the previous one (200 at the start of every request); a status line, Status: and WWW-Authenticate set it too
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic([
    'code.php' => '<?php echo var_export(http_response_code(), true), " ", var_export(http_response_code(404), true);',
    'line.php' => '<?php header("HTTP/1.1 410 Gone");',
    'status.php' => '<?php header("Status: 418 I am a teapot");',
    'auth.php' => '<?php header("WWW-Authenticate: Basic realm=\"x\"");',
]);
foreach (['/code.php', '/code.php', '/line.php', '/status.php', '/auth.php'] as $p) {
    [$s, $h, $b] = folk_http($srv[2], 'GET', $p);
    echo "$p $s [$b]\n";
}
folk_stop_server($srv);
?>
--EXPECT--
/code.php 404 [200 200]
/code.php 404 [200 200]
/line.php 410 []
/status.php 418 []
/auth.php 401 []
