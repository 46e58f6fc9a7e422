--TEST--
Classic mode: exec_timeout after flush() ends the streamed response truncated (the client has its 200 already), and the pool serves the next request
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
require __DIR__ . '/../../fixtures/stream_client.php';
$srv = folk_classic([
    'slow.php' => '<?php while (ob_get_level()) ob_end_flush(); echo "part"; flush(); sleep(30);',
    'ok.php' => '<?php echo "ok";',
], ['workers' => ['exec_timeout' => '300ms']]);
$t = microtime(true);
[$c, $status, ] = folk_stream_open($srv[2], '/slow.php');
[$body, $ended] = folk_stream_rest($c);
fclose($c);
echo "$status $body ", $ended ? 'ended' : 'truncated', " ", microtime(true) - $t < 5 ? 'in time' : 'late', "\n";
[$s, , $b] = folk_http($srv[2], 'GET', '/ok.php');
echo "$s $b\n";
folk_stop_server($srv);
?>
--EXPECT--
200 part truncated in time
200 ok
