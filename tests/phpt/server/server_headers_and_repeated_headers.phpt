--TEST--
The request payload carries method, path, query, protocol and every header (repeated ones kept); responses can set multi-valued headers and a status
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$srv = folk_start_server(['workers' => ['count' => 1]]);
[$status, $h, $body] = folk_http($srv[2], 'GET', '/request?a=1&b=2', ['x-a' => ['one', 'two'], 'x-b' => 'three']);
$req = json_decode($body, true);
var_dump($status, $h['content-type'][0], $req['method'], $req['path'], $req['query'], $req['target'], $req['protocol']);
var_dump($req['headers']['x-a'], $req['headers']['x-b']);
var_dump(str_starts_with($req['remote'], '127.0.0.1:'), $req['local'] === '127.0.0.1:' . $srv[2]);
[$status, $h, $body] = folk_http($srv[2], 'GET', '/multi');
var_dump($status, $h['set-cookie'], $body);
folk_stop_server($srv);
?>
--EXPECT--
int(200)
string(16) "application/json"
string(3) "GET"
string(8) "/request"
string(7) "a=1&b=2"
string(16) "/request?a=1&b=2"
string(8) "HTTP/1.1"
array(2) {
  [0]=>
  string(3) "one"
  [1]=>
  string(3) "two"
}
array(1) {
  [0]=>
  string(5) "three"
}
bool(true)
bool(true)
int(201)
array(2) {
  [0]=>
  string(3) "a=1"
  [1]=>
  string(3) "b=2"
}
string(5) "multi"
