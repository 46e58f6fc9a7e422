--TEST--
Classic mode, production output buffering (4 KiB): two zero-window h2 streams and two HTTP/1 clients that never read, each asking for a 4 MiB page echoed without flush(), do not hold the workers: the scripts finish at once (their answers wait on disk), a request meanwhile is answered within 1 s, and the server's RSS grows less than 40 MiB
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
require __DIR__ . '/../../fixtures/h2_client.php';
$marks = sys_get_temp_dir() . '/folk-large-page-' . getmypid();
@mkdir($marks);
$page = '<?php $id = basename($_GET["id"]); $dir = ' . var_export($marks, true) . ';
register_shutdown_function(function () use ($id, $dir) { file_put_contents("$dir/done-$id", connection_aborted() ? "aborted" : "finished"); });
$line = str_repeat("x", 1023) . "\n";
for ($i = 0; $i < 4096; $i++) echo $line;';
$srv = folk_classic(['page.php' => $page, 'hello.php' => '<?php echo "hello";'],
    ['workers' => ['count' => 2], 'server' => ['main_worker' => false], 'http' => ['output_buffering' => 4096]]);
$port = $srv[2];
$pid = proc_get_status($srv[0])['pid'];
$rss = fn () => (int) preg_replace('/\D/', '', implode('', preg_grep('/^VmRSS/', file("/proc/$pid/status")))) >> 10;
[$status, , $body] = folk_http($port, 'GET', '/page.php?id=warm');
echo $status, ' ', strlen($body), " bytes to a client that reads\n";
usleep(200000);
$before = $rss();

$h2 = H2Client::connect($port, 0);
$h2->get(1, '/page.php?id=h2a');
$h2->get(3, '/page.php?id=h2b');
$h1 = [];
foreach (['h1a', 'h1b'] as $id) {
    $s = stream_socket_client("tcp://127.0.0.1:$port");
    fwrite($s, "GET /page.php?id=$id HTTP/1.1\r\nHost: x\r\n\r\n");
    $h1[] = $s;
}
$ids = ['h2a', 'h2b', 'h1a', 'h1b'];
$deadline = microtime(true) + 10;
while (count(array_filter($ids, fn ($id) => file_exists("$marks/done-$id"))) < 4 && microtime(true) < $deadline) {
    $h2->pump(0.02);
}
foreach ($ids as $id) echo "$id: ", @file_get_contents("$marks/done-$id") ?: 'still running', "\n";
$t = microtime(true);
[$status, , $body] = folk_http($port, 'GET', '/hello.php', [], '', 5.0);
$took = microtime(true) - $t;
echo "$status $body ", $took < 1.0 ? "within 1 s" : sprintf("after %.2f s", $took), "\n";
$grew = $rss() - $before;
echo $grew < 40 ? "RSS grew less than 40 MiB\n" : "RSS grew $grew MiB\n";

$h2->close();
foreach ($h1 as $s) fclose($s);
array_map('unlink', glob("$marks/*"));
rmdir($marks);
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
200 4194304 bytes to a client that reads
h2a: finished
h2b: finished
h1a: finished
h1b: finished
200 hello within 1 s
RSS grew less than 40 MiB
int(0)
