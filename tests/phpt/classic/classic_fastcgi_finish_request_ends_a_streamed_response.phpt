--TEST--
Classic mode: fastcgi_finish_request() after flush() ends the stream at once (the output so far, then the terminating chunk); later output is dropped while the script runs on
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
require __DIR__ . '/../../fixtures/stream_client.php';
$srv = folk_classic(['f.php' => '<?php while (ob_get_level()) ob_end_flush(); echo "a"; flush(); echo "b"; fastcgi_finish_request(); echo "dropped"; usleep(400000);']);
$t = microtime(true);
[$c, $status, ] = folk_stream_open($srv[2], '/f.php');
[$body, $ended] = folk_stream_rest($c);
fclose($c);
echo "$status $body ", $ended ? 'ended' : 'cut', " ", microtime(true) - $t < 0.3 ? 'early' : 'late', "\n";
folk_stop_server($srv);
?>
--EXPECT--
200 ab ended early
