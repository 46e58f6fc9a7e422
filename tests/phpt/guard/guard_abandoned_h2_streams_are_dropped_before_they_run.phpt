--TEST--
Abandoned requests over h2: streams a client resets (RST_STREAM) while their jobs are queued are dropped unrun and counted, on a connection that stays open; its next request is answered in under 300 ms
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$metrics = folk_free_port();
$srv = folk_start_server(['workers' => ['count' => 3], 'server' => ['main_worker' => false], 'metrics' => ['listen' => "127.0.0.1:$metrics"]]);
$abandoned = function () use ($metrics) {
    [, , $page] = folk_http($metrics, 'GET', '/metrics');
    preg_match('/^folk_jobs_total\{outcome="abandoned"\} (\d+)$/m', $page, $m);
    return (int) $m[1];
};
// A minimal h2c client: frames by hand, HPACK literals without Huffman coding.
$frame = fn (int $type, int $flags, int $stream, string $payload) => substr(pack('N', strlen($payload)), 1) . chr($type) . chr($flags) . pack('N', $stream) . $payload;
$get = fn (int $stream, string $path) => $frame(1, 0x5, $stream, "\x82\x86\x04" . chr(strlen($path)) . $path . "\x01\x09127.0.0.1");
$readFrame = function ($c) {
    $head = fread($c, 9);
    if (strlen($head) < 9) return null;
    $len = unpack('N', "\0" . substr($head, 0, 3))[1];
    $payload = '';
    while (strlen($payload) < $len && !feof($c)) $payload .= fread($c, $len - strlen($payload));
    return [ord($head[3]), ord($head[4]), unpack('N', substr($head, 5, 4))[1] & 0x7fffffff, $payload];
};
$before = $abandoned();
$c = stream_socket_client("tcp://127.0.0.1:{$srv[2]}", $errno, $errstr, 5);
stream_set_timeout($c, 5);
fwrite($c, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" . $frame(4, 0, 0, ''));
$slow = range(1, 59, 2);
foreach ($slow as $id) fwrite($c, $get($id, '/slow?300000'));
usleep(100000);
// RST_STREAM(CANCEL) for each: the connection stays open.
foreach ($slow as $id) fwrite($c, $frame(3, 0, $id, pack('N', 8)));
$t = microtime(true);
fwrite($c, $get(61, '/'));
$status = $body = null;
while (($f = $readFrame($c)) !== null) {
    [$type, $flags, $id, $payload] = $f;
    if ($type === 4 && !($flags & 1)) fwrite($c, $frame(4, 1, 0, ''));
    if ($id !== 61) continue;
    if ($type === 1) $status = ord($payload[0]) === 0x88 ? 200 : sprintf('header block starting 0x%02x', ord($payload[0]));
    if ($type === 0) { $body .= $payload; if ($flags & 1) break; }
}
$took = microtime(true) - $t;
echo "$status $body ", $took < 0.3 ? 'under 300 ms' : sprintf('took %.0f ms', $took * 1000), "\n";
$deadline = microtime(true) + 3;
while (($dropped = $abandoned() - $before) < 27 && microtime(true) < $deadline) usleep(20000);
echo "reset while queued, dropped unrun: ", $dropped >= 27 ? 'yes' : "no ($dropped)", "\n";
fclose($c);
[$code] = folk_stop_server($srv);
echo "exit $code\n";
?>
--EXPECT--
200 Hello, World! under 300 ms
reset while queued, dropped unrun: yes
exit 0
