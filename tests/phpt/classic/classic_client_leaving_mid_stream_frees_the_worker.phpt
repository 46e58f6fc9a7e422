--TEST--
Classic mode: a client that disconnects mid-stream does not block the script: sending stops, connection_aborted() turns 1, with ignore_user_abort the script runs on, and the only worker serves the next client
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
require __DIR__ . '/../../fixtures/stream_client.php';
$mark = sys_get_temp_dir() . '/folk-gone-' . getmypid();
$srv = folk_classic([
    'slow.php' => '<?php ignore_user_abort(true); while (ob_get_level()) ob_end_flush();'
        . ' for ($i = 0; $i < 500 && !connection_aborted(); $i++) { echo str_repeat("x", 4000), "\n"; flush(); usleep(10000); }'
        . ' file_put_contents(' . var_export($mark, true) . ', "aborted=" . connection_aborted() . ($i < 500 ? " early" : " at the end"));',
    'ok.php' => '<?php echo "ok";',
]);
[$c, $status, ] = folk_stream_open($srv[2], '/slow.php');
echo "$status ", strlen(folk_stream_chunk($c)), "\n";
fclose($c);
$t = microtime(true);
[$s, , $b] = folk_http($srv[2], 'GET', '/ok.php');
echo "$s $b ", microtime(true) - $t < 3 ? 'soon' : 'late', "\n";
for ($i = 0; $i < 200 && !file_exists($mark); $i++) usleep(20000);
echo file_get_contents($mark), "\n";
unlink($mark);
folk_stop_server($srv);
?>
--EXPECT--
200 4001
200 ok soon
aborted=1 early
