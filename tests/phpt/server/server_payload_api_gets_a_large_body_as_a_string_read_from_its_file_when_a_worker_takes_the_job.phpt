--TEST--
Folk\Worker::serve(): a body over http.body_buffer still reaches the handler as the 'body' string, read from its temporary file only when a worker takes the job, so 50 concurrent 4 MiB uploads queued for 2 workers grow the server's resident memory by less than 64 MiB (held in memory while queued, they grew it by about 200 MiB); no file stays open after them, nor after a fatal error in the handler
--SKIPIF--
<?php
if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
elseif (!function_exists('curl_multi_init')) echo 'skip needs curl';
elseif (!is_dir('/proc/self/fd')) echo 'skip needs /proc';
elseif (getenv('USE_ZEND_ALLOC') === '0') echo 'skip memory figures are not the Zend allocator\'s with USE_ZEND_ALLOC=0 (make test-asan)';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/body_spool.php';
require __DIR__ . '/../../fixtures/docroot.php';
const SIZE = 4 << 20;
$root = folk_docroot(['worker.php' => <<<'PHP'
<?php
Folk\Worker::serve(function (string $method, array $req) {
    if ($req['path'] === '/fatal') no_such_function();
    return md5($req['body']) . ' ' . strlen($req['body']) . ' ' . json_encode(array_key_exists('body_spool', $req));
});
PHP]);
$srv = folk_start_server(['worker' => "$root/worker.php", 'workers' => ['count' => 2], 'server' => ['main_worker' => false]]);
$pid = proc_get_status($srv[0])['pid'];
$url = "http://127.0.0.1:{$srv[2]}/md5";

folk_concurrent_uploads($url, 4, SIZE, false, 4, fn() => null);
$before = folk_rss_kib($pid);
$peak = $before;
[$results] = folk_concurrent_uploads($url, 50, SIZE, false, 50, function () use (&$peak, $pid) { $peak = max($peak, folk_rss_kib($pid)); });
$bad = [];
foreach ($results as $i => [$status, $body, $md5, , $error]) {
    if ($status !== 200 || $body !== "$md5 " . SIZE . ' false') $bad[] = "#$i: $status '$body' (sent $md5) $error";
}
echo $bad ? count($bad) . ' failed: ' . implode('; ', array_slice($bad, 0, 3)) : '50 uploads intact', "\n";
$growth = $peak - $before;
echo $growth < (64 << 10) ? 'memory growth under 64 MiB' : sprintf('memory grew by %.1f MiB (from %.1f MiB)', $growth / 1024, $before / 1024), "\n";
echo 'spool files still open: ', json_encode(folk_wait_no_spool_fds($pid)), "\n";

[$s] = folk_http($srv[2], 'POST', '/fatal', ['content-type' => 'application/octet-stream'], str_repeat('f', 100 << 10));
echo "fatal: $s, spool files still open: ", json_encode(folk_wait_no_spool_fds($pid)), "\n";
[$s, , $b] = folk_http($srv[2], 'POST', '/md5', ['content-type' => 'application/octet-stream'], 'small');
echo "small: $s ", $b === md5('small') . ' 5 false' ? 'intact' : $b, "\n";
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
50 uploads intact
memory growth under 64 MiB
spool files still open: []
fatal: 500, spool files still open: []
small: 200 intact
int(0)
