--TEST--
http.direct: requests served on the workers' threads get the same bytes as through hyper (the date aside), whether answered there (GET, POST with a body, keep-alive, Connection: close, errors) or handed back to hyper (HEAD, pipelining, chunked bodies, Expect, HTTP/1.0, a fragment, a target hyper escapes)
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$opts = ['workers' => ['count' => 1]];
$hyper = folk_start_server($opts + ['http' => ['direct' => false]]);
$metrics = folk_free_port();
$direct = folk_start_server($opts + ['http' => ['direct' => true], 'metrics' => ['listen' => "127.0.0.1:$metrics"]]);
/** [served on a worker's thread, handed to hyper] so far. */
function counted(int $metrics): array {
    [, , $page] = folk_http($metrics, 'GET', '/metrics');
    preg_match('/^folk_http_direct_requests_total (\d+)$/m', $page, $r);
    preg_match('/^folk_http_direct_handoffs_total (\d+)$/m', $page, $h);
    return [(int) $r[1], (int) $h[1]];
}

/** Sends $raw (its parts 100 ms apart) on a new connection and reads until the server closes it. */
function exchange(int $port, string|array $raw): string {
    $c = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 5);
    stream_set_timeout($c, 5);
    foreach ((array) $raw as $i => $part) {
        if ($i) usleep(100000);
        fwrite($c, $part);
    }
    $out = '';
    while (!feof($c)) {
        $chunk = fread($c, 65536);
        if ($chunk === false || ($chunk === '' && stream_get_meta_data($c)['timed_out'])) break;
        $out .= $chunk;
    }
    fclose($c);
    // The date differs by the second, the ports by server and connection.
    $out = preg_replace('/^date: .*\r\n/mi', "date: -\r\n", $out);
    return preg_replace('/"(remote|local)":"127\.0\.0\.1:\d+"/', '"$1":"-"', $out);
}
$h = "host: 127.0.0.1\r\n";
$close = "connection: close\r\n";
$cases = [
    'GET' => "GET / HTTP/1.1\r\n{$h}{$close}\r\n",
    'keep-alive, three on one connection' => ["GET /multi HTTP/1.1\r\n$h\r\n", "GET /request?x=1&y=%20 HTTP/1.1\r\n{$h}x-a: 1\r\nX-A: 2\r\n\r\n", "GET /missing HTTP/1.1\r\n{$h}{$close}\r\n"],
    'POST with a body' => "POST /echo HTTP/1.1\r\n{$h}content-type: text/plain\r\ncontent-length: 11\r\n{$close}\r\nhello world",
    'an exception' => "GET /throw HTTP/1.1\r\n{$h}{$close}\r\n",
    'HEAD' => "HEAD / HTTP/1.1\r\n{$h}{$close}\r\n",
    'pipelined' => "GET / HTTP/1.1\r\n$h\r\nGET /multi HTTP/1.1\r\n{$h}{$close}\r\n",
    'chunked body' => "POST /echo HTTP/1.1\r\n{$h}transfer-encoding: chunked\r\n{$close}\r\n5\r\nhello\r\n0\r\n\r\n",
    'Expect: 100-continue' => "POST /echo HTTP/1.1\r\n{$h}expect: 100-continue\r\ncontent-length: 3\r\n{$close}\r\nabc",
    'HTTP/1.0' => "GET / HTTP/1.0\r\n\r\n",
    'a fragment' => "GET /request?a=1#frag HTTP/1.1\r\n{$h}{$close}\r\n",
    'a target hyper escapes' => "GET /request?q=\"<x>\" HTTP/1.1\r\n{$h}{$close}\r\n",
    'a body in two writes' => ["POST /echo HTTP/1.1\r\n{$h}content-length: 6\r\n{$close}\r\nabc", "def"],
    'no Host' => "GET / HTTP/1.1\r\n{$close}\r\n",
    'a bad request line' => "GET / HTTP/9.9\r\n{$h}{$close}\r\n",
];
foreach ($cases as $name => $raw) {
    $a = exchange($hyper[2], $raw);
    [$r0, $h0] = counted($metrics);
    $b = exchange($direct[2], $raw);
    [$r1, $h1] = counted($metrics);
    $how = sprintf('%d direct, %d to hyper', $r1 - $r0, $h1 - $h0);
    preg_match_all('#HTTP/1\.[01] (\d{3}) #', $a, $m);
    $status = implode(',', $m[1]);
    echo str_pad($name, 38), $a === $b ? str_pad("same ($status)", 20) . $how : "DIFFERENT\n--- hyper\n$a\n--- direct\n$b", "\n";
}
foreach ([$hyper, $direct] as $srv) echo 'exit ', folk_stop_server($srv)[0], "\n";
?>
--EXPECT--
GET                                   same (200)          1 direct, 0 to hyper
keep-alive, three on one connection   same (201,200,404)  3 direct, 0 to hyper
POST with a body                      same (200)          1 direct, 0 to hyper
an exception                          same (500)          1 direct, 0 to hyper
HEAD                                  same (200)          0 direct, 1 to hyper
pipelined                             same (200,201)      0 direct, 1 to hyper
chunked body                          same (200)          0 direct, 1 to hyper
Expect: 100-continue                  same (100,200)      0 direct, 1 to hyper
HTTP/1.0                              same (200)          0 direct, 1 to hyper
a fragment                            same (200)          0 direct, 1 to hyper
a target hyper escapes                same (200)          0 direct, 1 to hyper
a body in two writes                  same (200)          0 direct, 1 to hyper
no Host                               same (400)          0 direct, 1 to hyper
a bad request line                    same (400)          0 direct, 1 to hyper
exit 0
exit 0
