--TEST--
A static file larger than what is read at once (256 KiB) is streamed in chunks, whole and as a range, byte for byte
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/docroot.php';
$data = random_bytes(3 << 20);
$root = folk_docroot(['big.bin' => $data]);
$srv = folk_start_server(['workers' => ['count' => 1], 'http' => ['root' => $root]]);
$port = $srv[2];
[$s, $h, $b] = folk_http($port, 'GET', '/big.bin');
var_dump($s, $h['content-type'][0], $h['content-length'][0], md5($b) === md5($data));
$from = (1 << 20) + 17;
[$s, $h, $b] = folk_http($port, 'GET', '/big.bin', ['range' => "bytes=$from-"]);
var_dump($s, $b === substr($data, $from));
// The same connection serves the next request after a streamed body.
$c = stream_socket_client("tcp://127.0.0.1:$port");
fwrite($c, folk_http_request('GET', '/big.bin', [], '') . folk_http_request('GET', '/', ['connection' => 'close'], ''));
[$s1, , $b1] = folk_read_response($c);
[$s2, , $b2] = folk_read_response($c);
var_dump($s1, strlen($b1), $s2, $b2);
folk_stop_server($srv);
?>
--EXPECT--
int(200)
string(24) "application/octet-stream"
string(7) "3145728"
bool(true)
int(206)
bool(true)
int(200)
int(3145728)
int(200)
string(13) "Hello, World!"
