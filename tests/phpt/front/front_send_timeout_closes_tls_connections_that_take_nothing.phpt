--TEST--
http.send_timeout = 1s under TLS: an h2 stream (ALPN) whose window the client never opens and an HTTP/1.1 client that stops reading are closed after send_timeout, and the classic scripts streaming into them stop with connection_aborted() = 1
--SKIPIF--
<?php
if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
elseif (!shell_exec('command -v openssl')) echo 'skip needs the openssl command';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
require __DIR__ . '/../../fixtures/tls.php';
require __DIR__ . '/../../fixtures/h2_client.php';
$dir = sys_get_temp_dir() . '/folk-tls-send-' . getmypid();
[$cert, $key] = folk_tls_cert($dir, 'send');
$stream = '<?php $id = basename($_GET["id"]); $dir = ' . var_export($dir, true) . ';
register_shutdown_function(function () use ($id, $dir) { file_put_contents("$dir/done-$id", connection_aborted() ? "aborted" : "finished"); });
while (ob_get_level()) ob_end_flush();
$c = str_repeat("x", 65536);
for ($i = 0; $i < 100000; $i++) { echo $c; flush(); }';
$srv = folk_classic(['stream.php' => $stream],
    ['workers' => ['count' => 2], 'server' => ['main_worker' => false], 'http' => ['send_timeout' => '1s', 'tls' => ['cert' => $cert, 'key' => $key]]]);
$port = $srv[2];

$h2 = H2Client::connect($port, 0, tls: true);
$h2->get(1, '/stream.php?id=h2');
[$h1] = folk_tls_connect($port);
fwrite($h1, "GET /stream.php?id=h1 HTTP/1.1\r\nHost: localhost\r\n\r\n");
$t = microtime(true);
// Neither client reads a byte meanwhile (the h2 one only answers SETTINGS and PING).
while (!(file_exists("$dir/done-h2") && file_exists("$dir/done-h1")) && microtime(true) - $t < 5) {
    $h2->pump(0.05);
    usleep(10000);
}
$took = microtime(true) - $t;
foreach (['h2', 'h1'] as $id) echo "$id: ", @file_get_contents("$dir/done-$id") ?: 'still running', "\n";
echo $took < 4 ? "within send_timeout\n" : sprintf("after %.1f s\n", $took);
$h2->pump(2.0);
echo $h2->closed ? "h2 connection closed\n" : "h2 connection open\n";
stream_set_timeout($h1, 5);
while (!feof($h1) && ($part = fread($h1, 1 << 20)) !== false && $part !== '');
echo feof($h1) ? "HTTP/1.1 connection closed\n" : "HTTP/1.1 connection open\n";
$h2->close();
fclose($h1);
[$code] = folk_stop_server($srv);
folk_rm_dir($dir);
var_dump($code);
?>
--EXPECT--
h2: aborted
h1: aborted
within send_timeout
h2 connection closed
HTTP/1.1 connection closed
int(0)
