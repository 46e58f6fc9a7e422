--TEST--
With http.root, an existing file is sent as it is (Content-Type, Content-Length, ETag, Last-Modified, HEAD without body) and other paths reach the worker
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/docroot.php';
$css = str_repeat('body { color: #333; }', 100);
$png = "\x89PNG\r\n\x1a\n" . random_bytes(600);
$root = folk_docroot(['css/site.css' => $css, 'img/logo.png' => $png, 'empty.txt' => '']);
$srv = folk_start_server(['workers' => ['count' => 1], 'http' => ['root' => $root]]);
$port = $srv[2];

[$s, $h, $b] = folk_http($port, 'GET', '/css/site.css');
var_dump($s, $h['content-type'][0], (int) $h['content-length'][0] === strlen($css), $b === $css);
var_dump(preg_match('/^"[0-9a-f]+-[0-9a-f]+"$/', $h['etag'][0]) === 1, strtotime($h['last-modified'][0]) === filemtime("$root/css/site.css"));
[$s, $h, $b] = folk_http($port, 'GET', '/img/logo.png');
var_dump($s, $h['content-type'][0], $b === $png);
[$s, $h, $b] = folk_http($port, 'GET', '/empty.txt');
var_dump($s, $h['content-length'][0], $b);
// HEAD: the same headers, no body (the harness reads content-length bytes, so read raw).
$c = stream_socket_client("tcp://127.0.0.1:$port");
fwrite($c, "HEAD /css/site.css HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
$raw = stream_get_contents($c);
var_dump(str_contains($raw, 'content-length: ' . strlen($css)), str_ends_with($raw, "\r\n\r\n"));
// A path that names no file goes to the worker.
[$s, , $b] = folk_http($port, 'GET', '/');
var_dump($s, $b);
[$s, , $b] = folk_http($port, 'GET', '/css/missing.css');
var_dump($s, $b);
// A static file refuses other methods, as nginx does.
[$s, $h] = folk_http($port, 'DELETE', '/css/site.css');
var_dump($s, $h['allow'][0]);
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
int(200)
string(8) "text/css"
bool(true)
bool(true)
bool(true)
bool(true)
int(200)
string(9) "image/png"
bool(true)
int(200)
string(1) "0"
string(0) ""
bool(true)
bool(true)
int(200)
string(13) "Hello, World!"
int(404)
string(9) "not found"
int(405)
string(9) "GET, HEAD"
int(0)
