--TEST--
Classic mode: a server-sent-events script (ob_flush() + flush() under the default output_buffering) delivers each event when it is sent
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
require __DIR__ . '/../../fixtures/stream_client.php';
$srv = folk_classic(['events.php' => '<?php header("Content-Type: text/event-stream"); header("Cache-Control: no-cache");'
    . ' for ($i = 1; $i <= 3; $i++) { echo "id: $i\ndata: tick $i\n\n"; ob_flush(); flush(); usleep(150000); }']);
[$c, $status, $h] = folk_stream_open($srv[2], '/events.php');
echo "$status ", $h['content-type'][0], "\n";
$last = null;
while (($chunk = folk_stream_chunk($c)) !== null && $chunk !== '') {
    // Each event arrives alone, about 150 ms after the previous one (not all at the end).
    $now = microtime(true);
    echo str_replace("\n", ' | ', trim($chunk)), $last === null ? '' : ($now - $last > 0.1 ? ' later' : ' batched'), "\n";
    $last = $now;
}
echo $chunk === '' ? "ended\n" : "cut\n";
fclose($c);
folk_stop_server($srv);
?>
--EXPECT--
200 text/event-stream;charset=UTF-8
id: 1 | data: tick 1
id: 2 | data: tick 2 later
id: 3 | data: tick 3 later
ended
