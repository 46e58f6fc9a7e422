--TEST--
A static file asked with a matching If-None-Match or a later If-Modified-Since gets 304 without a body; a stale validator gets 200
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/docroot.php';
$root = folk_docroot(['app.js' => 'console.log(1);']);
touch("$root/app.js", time() - 3600);
clearstatcache();
$srv = folk_start_server(['workers' => ['count' => 1], 'http' => ['root' => $root]]);
$port = $srv[2];
[, $h] = folk_http($port, 'GET', '/app.js');
$etag = $h['etag'][0];
$lm = $h['last-modified'][0];
[$s, $h, $b] = folk_http($port, 'GET', '/app.js', ['if-none-match' => $etag]);
var_dump($s, $b, $h['etag'][0] === $etag);
[$s] = folk_http($port, 'GET', '/app.js', ['if-none-match' => "\"other\", $etag"]);
var_dump($s);
[$s] = folk_http($port, 'GET', '/app.js', ['if-none-match' => "W/$etag"]);
var_dump($s);
[$s, , $b] = folk_http($port, 'GET', '/app.js', ['if-none-match' => '"stale"']);
var_dump($s, $b);
[$s] = folk_http($port, 'GET', '/app.js', ['if-modified-since' => $lm]);
var_dump($s);
[$s] = folk_http($port, 'GET', '/app.js', ['if-modified-since' => gmdate('D, d M Y H:i:s', time() - 7200) . ' GMT']);
var_dump($s);
// If-None-Match decides over If-Modified-Since (RFC 9110 13.2.2).
[$s] = folk_http($port, 'GET', '/app.js', ['if-none-match' => '"stale"', 'if-modified-since' => $lm]);
var_dump($s);
folk_stop_server($srv);
?>
--EXPECT--
int(304)
string(0) ""
bool(true)
int(304)
int(304)
int(200)
string(15) "console.log(1);"
int(304)
int(200)
int(200)
