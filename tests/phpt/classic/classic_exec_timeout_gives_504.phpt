--TEST--
Classic mode: a script past workers.exec_timeout (busy loop or sleep) gets a 504 and the next request on the worker is served
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic([
    'loop.php' => '<?php while (true) {}',
    'sleep.php' => '<?php sleep(30);',
    'ok.php' => '<?php echo "ok";',
], ['workers' => ['exec_timeout' => '300ms']]);
foreach (['/loop.php', '/ok.php', '/sleep.php', '/ok.php'] as $p) {
    $t = microtime(true);
    [$s, , $b] = folk_http($srv[2], 'GET', $p);
    echo "$p $s ", trim($b), " ", microtime(true) - $t < 5 ? 'in time' : 'slow', "\n";
}
folk_stop_server($srv);
?>
--EXPECT--
/loop.php 504 504 Gateway Timeout in time
/ok.php 200 ok in time
/sleep.php 504 504 Gateway Timeout in time
/ok.php 200 ok in time
