--TEST--
400 zero-window h2 streams (2 connections) asking for a 1 MiB answer each: the answers wait in unnamed temporary files, not in memory (RSS grows less than 40 MiB), the workers are free at once (a request queued behind the 400 is answered within 2 s meanwhile, not held until a client reads), and once the clients go the files are gone and RSS is back within 16 MiB of where it was (allocator slack)
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/h2_client.php';
require __DIR__ . '/../../fixtures/docroot.php';
$root = folk_docroot(['worker.php' => '<?php $big = str_repeat("x", 1 << 20);
Folk\Worker::serve(fn (string $method, array $req) => $req["path"] === "/big" ? $big : "hello");']);
$srv = folk_start_server(['worker' => "$root/worker.php", 'workers' => ['count' => 2], 'server' => ['main_worker' => false]]);
$pid = proc_get_status($srv[0])['pid'];
$rss = fn () => (int) preg_replace('/\D/', '', implode('', preg_grep('/^VmRSS/', file("/proc/$pid/status")))) >> 10;
$unnamed = fn () => count(array_filter(glob("/proc/$pid/fd/*"), fn ($fd) => str_ends_with((string) @readlink($fd), '(deleted)')));
// Warm up: the same answers to a client that reads them.
for ($i = 0; $i < 4; $i++) [$status, , $body] = folk_http($srv[2], 'GET', '/big');
echo $status, ' ', strlen($body), " bytes to a client that reads\n";
usleep(300000);
$before = $rss();
$files = $unnamed(); // the process's own (opcache's shared memory)

$clients = [];
for ($c = 0; $c < 2; $c++) {
    $h = H2Client::connect($srv[2], 0);
    for ($s = 0; $s < 200; $s++) $h->get(1 + 2 * $s, '/big');
    $clients[] = $h;
}
$answered = fn () => array_sum(array_map(fn ($h) => count(array_filter($h->streams, fn ($s) => $s['status'] !== null)), $clients));
$slowest = 0; $grew = 0;
$deadline = microtime(true) + 20;
while (($answered() < 400 || $slowest === 0) && microtime(true) < $deadline) {
    foreach ($clients as $h) $h->pump(0.02);
    $t = microtime(true);
    [$status, , $body] = folk_http($srv[2], 'GET', '/hello', [], '', 5);
    $slowest = max($slowest, $status === 200 && $body === 'hello' ? microtime(true) - $t : 99);
    $grew = max($grew, $rss() - $before);
}
echo $answered(), " heads answered, no body byte sent: ", array_sum(array_map(fn ($h) => array_sum(array_column($h->streams, 'data')), $clients)) === 0 ? 'yes' : 'no', "\n";
echo "waiting in unnamed temporary files: ", $unnamed() - $files >= 390 ? 'about 400' : $unnamed() - $files, "\n";
echo $slowest < 2.0 ? "a request meanwhile answered within 2 s\n" : sprintf("a request meanwhile took %.2f s\n", $slowest);
echo $grew < 40 ? "RSS grew less than 40 MiB\n" : "RSS grew $grew MiB\n";

foreach ($clients as $h) $h->close();
$deadline = microtime(true) + 5;
while ($unnamed() > $files && microtime(true) < $deadline) usleep(50000);
sleep(1);
echo "temporary files left: ", $unnamed() - $files, "\n";
$left = $rss() - $before;
echo $left < 16 ? "RSS back within 16 MiB\n" : "RSS still up $left MiB\n";
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
200 1048576 bytes to a client that reads
400 heads answered, no body byte sent: yes
waiting in unnamed temporary files: about 400
a request meanwhile answered within 2 s
RSS grew less than 40 MiB
temporary files left: 0
RSS back within 16 MiB
int(0)
