--TEST--
http.response_buffer = 1M per connection, http.response_buffer_total = 3M: eight 1 MiB answers waiting on four connections (zero-window h2) keep three in memory (one a connection at most, three in all) and spool five to unnamed temporary files; once the clients open their windows every answer arrives whole, and the files are gone
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/docroot.php';
require __DIR__ . '/../../fixtures/h2_client.php';
$root = folk_docroot(['worker.php' => '<?php $big = str_repeat("0123456789abcdef", 1 << 16);
Folk\Worker::serve(fn (string $method, array $req) => $big);']);
$srv = folk_start_server(['worker' => "$root/worker.php", 'workers' => ['count' => 2], 'server' => ['main_worker' => false],
    'http' => ['response_buffer' => '1M', 'response_buffer_total' => '3M']]);
$pid = proc_get_status($srv[0])['pid'];
$unnamed = fn () => count(array_filter(glob("/proc/$pid/fd/*"), fn ($fd) => str_ends_with((string) @readlink($fd), '(deleted)')));
$files = $unnamed();
$clients = [];
for ($c = 0; $c < 4; $c++) {
    $h = H2Client::connect($srv[2], 0);
    $h->get(1, '/big');
    $h->get(3, '/big');
    $clients[] = $h;
}
$answered = fn () => array_sum(array_map(fn ($h) => count(array_filter($h->streams, fn ($s) => $s['status'] !== null)), $clients));
$deadline = microtime(true) + 10;
while ($answered() < 8 && microtime(true) < $deadline) foreach ($clients as $h) $h->pump(0.02);
echo $answered(), " answered; in unnamed temporary files: ", $unnamed() - $files, "\n";

// Open every window: each answer arrives whole, from memory or from its file.
foreach ($clients as $h) { $h->window(0, 16 << 20); $h->window(1, 4 << 20); $h->window(3, 4 << 20); }
$whole = fn () => array_sum(array_map(fn ($h) => count(array_filter($h->streams, fn ($s) => $s['end'] && $s['data'] === 1 << 20)), $clients));
$deadline = microtime(true) + 10;
while ($whole() < 8 && microtime(true) < $deadline) foreach ($clients as $h) $h->pump(0.02);
echo $whole(), " answers of 1 MiB arrived whole\n";
$deadline = microtime(true) + 5;
while ($unnamed() > $files && microtime(true) < $deadline) usleep(20000);
echo "temporary files left: ", $unnamed() - $files, "\n";
foreach ($clients as $h) $h->close();
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
8 answered; in unnamed temporary files: 5
8 answers of 1 MiB arrived whole
temporary files left: 0
int(0)
