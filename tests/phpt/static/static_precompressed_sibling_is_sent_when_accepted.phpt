--TEST--
A .br or .gz sibling of a static file is sent with Content-Encoding to a client that accepts it (q-values honoured), with Vary: Accept-Encoding
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/docroot.php';
$js = str_repeat('function f() { return 42; }', 50);
$root = folk_docroot(['app.js' => $js, 'app.js.gz' => gzencode($js), 'plain.css' => 'a{}']);
$srv = folk_start_server(['workers' => ['count' => 1], 'http' => ['root' => $root]]);
$port = $srv[2];
[$s, $h, $b] = folk_http($port, 'GET', '/app.js', ['accept-encoding' => 'gzip, deflate']);
var_dump($s, $h['content-encoding'][0], $h['vary'][0], $h['content-type'][0], gzdecode($b) === $js);
[$s, $h, $b] = folk_http($port, 'GET', '/app.js', ['accept-encoding' => 'gzip;q=0, br']);
var_dump($s, isset($h['content-encoding']), $h['vary'][0], $b === $js);
[$s, $h, $b] = folk_http($port, 'GET', '/app.js');
var_dump(isset($h['content-encoding']), $b === $js);
[$s, $h] = folk_http($port, 'GET', '/plain.css', ['accept-encoding' => 'gzip']);
var_dump(isset($h['content-encoding']), isset($h['vary']));
folk_stop_server($srv);
?>
--EXPECT--
int(200)
string(4) "gzip"
string(15) "Accept-Encoding"
string(15) "text/javascript"
bool(true)
int(200)
bool(false)
string(15) "Accept-Encoding"
bool(true)
bool(false)
bool(true)
bool(false)
bool(false)
