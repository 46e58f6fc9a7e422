--TEST--
http.direct: static files asked by plain GETs are sent by the I/O thread without hyper (a large one by sendfile), with the same bytes as through hyper (the date aside): a small and a large file, 304, 206, 416, Connection: close, keep-alive with PHP in between, the connection going back and forth between the workers and the I/O thread; HEAD and a GET with a body still go to hyper; a client that takes nothing of a large file is closed after http.send_timeout
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/docroot.php';
mt_srand(7);
$big = '';
for ($i = 0; $i < 300 << 10; $i += 4) $big .= pack('N', mt_rand());
$root = folk_docroot([
    'hello.php' => '<?php echo "php ", $_SERVER["REQUEST_URI"];',
    'small.txt' => str_repeat("small file\n", 90),
    'big.bin' => $big,
    'docs/index.html' => '<h1>docs</h1>',
]);
touch("$root/small.txt", time() - 3600);
$huge = fopen("$root/huge.bin", 'w');
ftruncate($huge, 48 << 20);
fclose($huge);
clearstatcache();
$opts = ['workers' => ['count' => 1], 'http' => ['root' => $root, 'send_timeout' => '500ms']];
$hyper = folk_start_server(['worker' => null, 'http' => ['direct' => false] + $opts['http']] + $opts);
$metrics = folk_free_port();
$direct = folk_start_server(['worker' => null, 'http' => ['direct' => true] + $opts['http'], 'metrics' => ['listen' => "127.0.0.1:$metrics"]] + $opts);
/** [static files the I/O thread sent, connections handed to hyper] so far. */
function counted(int $metrics): array {
    [, , $page] = folk_http($metrics, 'GET', '/metrics');
    preg_match('/^folk_http_direct_files_total (\d+)$/m', $page, $f);
    preg_match('/^folk_http_direct_handoffs_total (\d+)$/m', $page, $h);
    return [(int) $f[1], (int) $h[1]];
}

/** Sends each part of $raw after reading the answers so far, and reads until the server closes. */
function exchange(int $port, string|array $raw): string {
    $c = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 5);
    stream_set_timeout($c, 5);
    $out = '';
    foreach ((array) $raw as $i => $part) {
        fwrite($c, $part);
        if ($i < count((array) $raw) - 1) $out .= implode("\r\n", array_slice(folk_read_raw($c), 0, 1));
    }
    while (!feof($c)) {
        $chunk = fread($c, 65536);
        if ($chunk === false || ($chunk === '' && stream_get_meta_data($c)['timed_out'])) break;
        $out .= $chunk;
    }
    fclose($c);
    return preg_replace('/^date: .*\r\n/mi', "date: -\r\n", $out);
}

/** One whole response as raw bytes (content-length framed). */
function folk_read_raw($c): array {
    $head = '';
    while (!str_contains($head, "\r\n\r\n") && ($line = fgets($c)) !== false) $head .= $line;
    $n = preg_match('/^content-length: (\d+)/mi', $head, $m) ? (int) $m[1] : 0;
    $body = '';
    while (strlen($body) < $n && !feof($c)) $body .= fread($c, $n - strlen($body));
    return [$head . $body];
}

[, $h] = folk_http($hyper[2], 'GET', '/small.txt');
$etag = $h['etag'][0];
$g = "host: 127.0.0.1\r\n";
$close = "connection: close\r\n";
$cases = [
    'a small file' => "GET /small.txt HTTP/1.1\r\n{$g}{$close}\r\n",
    'a 300 KiB file' => "GET /big.bin HTTP/1.1\r\n{$g}{$close}\r\n",
    'a directory index' => "GET /docs/ HTTP/1.1\r\n{$g}{$close}\r\n",
    'If-None-Match (304)' => "GET /small.txt HTTP/1.1\r\n{$g}if-none-match: $etag\r\n{$close}\r\n",
    'Range (206)' => "GET /big.bin HTTP/1.1\r\n{$g}range: bytes=1000-2999\r\n{$close}\r\n",
    'an unsatisfiable Range (416)' => "GET /small.txt HTTP/1.1\r\n{$g}range: bytes=5000-\r\n{$close}\r\n",
    'keep-alive: file, PHP, file' => ["GET /small.txt HTTP/1.1\r\n$g\r\n", "GET /hello.php?a=1 HTTP/1.1\r\n$g\r\n", "GET /big.bin HTTP/1.1\r\n{$g}{$close}\r\n"],
    'keep-alive: PHP, file, PHP' => ["GET /hello.php HTTP/1.1\r\n$g\r\n", "GET /small.txt HTTP/1.1\r\n$g\r\n", "GET /hello.php?b=2 HTTP/1.1\r\n{$g}{$close}\r\n"],
    'keep-alive: three files' => ["GET /small.txt HTTP/1.1\r\n$g\r\n", "GET /big.bin HTTP/1.1\r\n$g\r\n", "GET /docs/ HTTP/1.1\r\n{$g}{$close}\r\n"],
    'HEAD' => "HEAD /big.bin HTTP/1.1\r\n{$g}{$close}\r\n",
    'a GET with a body' => "GET /small.txt HTTP/1.1\r\n{$g}content-length: 2\r\n{$close}\r\nab",
    'a missing file' => "GET /missing.txt HTTP/1.1\r\n{$g}{$close}\r\n",
];
foreach ($cases as $name => $raw) {
    $a = exchange($hyper[2], $raw);
    [$f0, $h0] = counted($metrics);
    $b = exchange($direct[2], $raw);
    [$f1, $h1] = counted($metrics);
    $how = sprintf('%d sent by the I/O thread, %d to hyper', $f1 - $f0, $h1 - $h0);
    preg_match_all('#HTTP/1\.[01] (\d{3}) #', $a, $m);
    $status = implode(',', $m[1]);
    echo str_pad($name, 30), $a === $b ? str_pad("same ($status)", 20) . $how : "DIFFERENT\n--- hyper\n" . substr($a, 0, 600) . "\n--- direct\n" . substr($b, 0, 600), "\n";
}

// A client that asks for 48 MiB and takes nothing: closed after send_timeout, the rest never sent.
$c = stream_socket_client("tcp://127.0.0.1:$direct[2]", $errno, $errstr, 5);
fwrite($c, "GET /huge.bin HTTP/1.1\r\n$g\r\n");
sleep(2);
stream_set_timeout($c, 5);
$got = 0;
$t = microtime(true);
while (!feof($c) && microtime(true) - $t < 10) {
    $chunk = fread($c, 1 << 20);
    if ($chunk === false || ($chunk === '' && stream_get_meta_data($c)['timed_out'])) break;
    $got += strlen($chunk);
}
echo "a client that took nothing for 2 s: ", feof($c) && $got < (48 << 20) ? 'closed, the rest never sent' : "got $got bytes, eof " . var_export(feof($c), true), "\n";
[$s] = folk_http($direct[2], 'GET', '/small.txt');
echo "the server goes on: $s\n";
foreach ([$hyper, $direct] as $srv) echo 'exit ', folk_stop_server($srv)[0], "\n";
?>
--EXPECT--
a small file                  same (200)          1 sent by the I/O thread, 0 to hyper
a 300 KiB file                same (200)          1 sent by the I/O thread, 0 to hyper
a directory index             same (200)          1 sent by the I/O thread, 0 to hyper
If-None-Match (304)           same (304)          1 sent by the I/O thread, 0 to hyper
Range (206)                   same (206)          1 sent by the I/O thread, 0 to hyper
an unsatisfiable Range (416)  same (416)          1 sent by the I/O thread, 0 to hyper
keep-alive: file, PHP, file   same (200,200,200)  2 sent by the I/O thread, 0 to hyper
keep-alive: PHP, file, PHP    same (200,200,200)  1 sent by the I/O thread, 0 to hyper
keep-alive: three files       same (200,200,200)  3 sent by the I/O thread, 0 to hyper
HEAD                          same (200)          0 sent by the I/O thread, 1 to hyper
a GET with a body             same (200)          0 sent by the I/O thread, 1 to hyper
a missing file                same (404)          0 sent by the I/O thread, 1 to hyper
a client that took nothing for 2 s: closed, the rest never sent
the server goes on: 200
exit 0
exit 0
