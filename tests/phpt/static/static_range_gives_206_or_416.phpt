--TEST--
A Range request for a static file gets 206 with Content-Range, an unsatisfiable one 416, and If-Range with a stale validator the whole file
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/docroot.php';
$data = implode('', range('a', 'z'));
$root = folk_docroot(['abc.txt' => $data]);
$srv = folk_start_server(['workers' => ['count' => 1], 'http' => ['root' => $root]]);
$port = $srv[2];
foreach (['bytes=0-4', 'bytes=20-', 'bytes=-3', 'bytes=24-100'] as $r) {
    [$s, $h, $b] = folk_http($port, 'GET', '/abc.txt', ['range' => $r]);
    echo "$r: $s {$h['content-range'][0]} {$h['content-length'][0]} $b\n";
}
[$s, $h] = folk_http($port, 'GET', '/abc.txt', ['range' => 'bytes=26-']);
echo "bytes=26-: $s {$h['content-range'][0]}\n";
[$s, $h, $b] = folk_http($port, 'GET', '/abc.txt', ['range' => 'bytes=0-1', 'if-range' => '"stale"']);
echo "stale if-range: $s ", strlen($b), "\n";
[, $h] = folk_http($port, 'GET', '/abc.txt');
[$s, , $b] = folk_http($port, 'GET', '/abc.txt', ['range' => 'bytes=0-1', 'if-range' => $h['etag'][0]]);
echo "current if-range: $s $b\n";
folk_stop_server($srv);
?>
--EXPECT--
bytes=0-4: 206 bytes 0-4/26 5 abcde
bytes=20-: 206 bytes 20-25/26 6 uvwxyz
bytes=-3: 206 bytes 23-25/26 3 xyz
bytes=24-100: 206 bytes 24-25/26 2 yz
bytes=26-: 416 bytes */26
stale if-range: 200 26
current if-range: 206 ab
