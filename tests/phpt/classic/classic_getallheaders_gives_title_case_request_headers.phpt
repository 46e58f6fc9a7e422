--TEST--
Classic mode: getallheaders() and apache_request_headers() give the request headers with Title-Case names, as php-fpm; on the CLI thread they are empty
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic(['g.php' => '<?php $h = getallheaders(); ksort($h); echo json_encode([$h, apache_request_headers() == getallheaders()]);']);
echo folk_http($srv[2], 'POST', '/g.php', ['x-custom-thing' => 'v', 'content-type' => 'text/plain'], 'body')[2], "\n";
var_dump(getallheaders());
folk_stop_server($srv);
?>
--EXPECT--
[{"Connection":"close","Content-Length":"4","Content-Type":"text\/plain","Host":"127.0.0.1","X-Custom-Thing":"v"},true]
array(0) {
}
