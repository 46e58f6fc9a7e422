--TEST--
Classic mode: flush() sends the status, headers and the output so far at once (chunked), and the rest follows as the script goes on
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
require __DIR__ . '/../../fixtures/stream_client.php';
// No output buffer (as streaming scripts do), so echo reaches folk and flush() sends it.
$srv = folk_classic(['s.php' => '<?php while (ob_get_level()) ob_end_flush(); header("X-Mine: 1"); echo "a"; flush(); usleep(300000); echo "b";']);
$t0 = microtime(true);
[$c, $status, $h] = folk_stream_open($srv[2], '/s.php');
$a = folk_stream_chunk($c);
$tA = microtime(true);
[$rest, $ended] = folk_stream_rest($c);
$tB = microtime(true);
fclose($c);
echo "$status ", $h['transfer-encoding'][0] ?? 'no te', " ", isset($h['content-length']) ? 'length' : 'no length', " ", $h['x-mine'][0], "\n";
echo "$a$rest ", $ended ? 'ended' : 'cut', "\n";
echo $tA - $t0 < 0.2 ? 'a early' : sprintf('a late (%.3f s)', $tA - $t0), " ", $tB - $tA > 0.2 ? 'b later' : sprintf('b too soon (%.3f s)', $tB - $tA), "\n";
folk_stop_server($srv);
?>
--EXPECT--
200 chunked no length 1
ab ended
a early b later
