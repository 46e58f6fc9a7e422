--TEST--
Classic mode: a response that never flushes (and stays under 64 KiB) is sent whole, with Content-Length and no chunking
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic(['hello.php' => '<?php echo "hello";', 'page.php' => '<?php echo str_repeat("x", 60000);']);
foreach (['/hello.php', '/page.php'] as $p) {
    [$s, $h, $b] = folk_http($srv[2], 'GET', $p);
    echo "$p $s ", $h['content-length'][0] ?? 'no length', " ", $h['transfer-encoding'][0] ?? 'not chunked', " ", strlen($b), "\n";
}
folk_stop_server($srv);
?>
--EXPECT--
/hello.php 200 5 not chunked 5
/page.php 200 60000 not chunked 60000
