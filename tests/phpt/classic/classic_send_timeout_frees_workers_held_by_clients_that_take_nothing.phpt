--TEST--
Classic mode, http.send_timeout = 1s: scripts streaming into two zero-window h2 streams and an HTTP/1 client that stops reading hold their workers only until send_timeout; then connection_aborted() is 1, the script stops at its next output (its shutdown function runs), both connections are closed, and a request on the free worker is answered within 1 s meanwhile
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
require __DIR__ . '/../../fixtures/h2_client.php';
$marks = sys_get_temp_dir() . '/folk-send-timeout-' . getmypid();
@mkdir($marks);
// Streams 64 KiB per flush for as long as the client takes it (bounded: 6.4 GB).
$stream = '<?php $id = basename($_GET["id"]); $dir = ' . var_export($marks, true) . ';
register_shutdown_function(function () use ($id, $dir) { file_put_contents("$dir/done-$id", connection_aborted() ? "aborted" : "finished"); });
file_put_contents("$dir/started-$id", (string) microtime(true));
while (ob_get_level()) ob_end_flush();
$c = str_repeat("x", 65536);
for ($i = 0; $i < 100000; $i++) { echo $c; flush(); }';
$srv = folk_classic(['stream.php' => $stream, 'hello.php' => '<?php usleep(300000); echo "hello";'],
    ['workers' => ['count' => 4], 'server' => ['main_worker' => false], 'http' => ['send_timeout' => '1s']]);
$port = $srv[2];
$wait = function (array $files, float $seconds) {
    $deadline = microtime(true) + $seconds;
    while (count(array_filter($files, 'file_exists')) !== count($files)) {
        if (microtime(true) >= $deadline) return false;
        usleep(20000);
    }
    return true;
};

// Two h2 streams whose window the client never opens, and an HTTP/1 client that never reads.
$h2 = H2Client::connect($port, 0);
$h2->get(1, '/stream.php?id=h2a');
$h2->get(3, '/stream.php?id=h2b');
$h1 = stream_socket_client("tcp://127.0.0.1:$port");
fwrite($h1, "GET /stream.php?id=h1 HTTP/1.1\r\nHost: x\r\n\r\n");
$ids = ['h2a', 'h2b', 'h1'];
echo $wait(array_map(fn ($id) => "$marks/started-$id", $ids), 5) ? "three scripts streaming\n" : "scripts did not start\n";
$h2->pump(0.2);

// Three of four workers are held: the fourth answers at once (the script sleeps 300 ms).
$t = microtime(true);
[$status, , $body] = folk_http($port, 'GET', '/hello.php', [], '', 3.0);
$took = microtime(true) - $t;
echo "$status $body ", $took < 1.0 ? "within 1 s" : sprintf("after %.2f s", $took), "\n";

// Within send_timeout (plus the kernel's socket buffers filling for HTTP/1) every script stops.
$t = microtime(true);
while (!$wait(array_map(fn ($id) => "$marks/done-$id", $ids), 0) && microtime(true) - $t < 5) {
    $h2->pump(0.05);
    usleep(10000);
}
echo $wait(array_map(fn ($id) => "$marks/done-$id", $ids), 0) ? "three scripts ended\n" : "scripts still held\n";
foreach ($ids as $id) {
    if (!file_exists("$marks/done-$id")) { echo "$id: still running\n"; continue; }
    $held = filemtime("$marks/done-$id") - (float) file_get_contents("$marks/started-$id");
    echo "$id: ", file_get_contents("$marks/done-$id"), $held < 4 ? " within send_timeout\n" : " after {$held} s\n";
}
$h2->pump(2.0);
echo $h2->closed ? "h2 connection closed\n" : "h2 connection open\n";
stream_set_timeout($h1, 5);
$got = 0;
while (!feof($h1) && ($part = fread($h1, 1 << 20)) !== false && $part !== '') $got += strlen($part);
echo feof($h1) ? "HTTP/1 connection closed\n" : "HTTP/1 connection open\n";

// Every worker is free again: four requests at once take one script's time, not more.
$t = microtime(true);
$socks = [];
for ($i = 0; $i < 4; $i++) {
    $socks[$i] = stream_socket_client("tcp://127.0.0.1:$port");
    fwrite($socks[$i], "GET /hello.php HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
}
$ok = 0;
foreach ($socks as $s) { stream_set_timeout($s, 5); $ok += str_starts_with((string) stream_get_contents($s), 'HTTP/1.1 200') ? 1 : 0; fclose($s); }
$took = microtime(true) - $t;
echo "$ok answered ", $took < 0.9 ? "in parallel" : sprintf("in %.2f s", $took), "\n";

$h2->close();
fclose($h1);
array_map('unlink', glob("$marks/*"));
rmdir($marks);
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
three scripts streaming
200 hello within 1 s
three scripts ended
h2a: aborted within send_timeout
h2b: aborted within send_timeout
h1: aborted within send_timeout
h2 connection closed
HTTP/1 connection closed
4 answered in parallel
int(0)
