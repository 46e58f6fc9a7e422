--TEST--
Classic mode: a 20 MiB output that never calls flush() streams as PHP's output buffer overflows: it arrives byte-exact, and the server's peak RSS grows far less than its size
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; if (getenv('USE_ZEND_ALLOC') === '0') echo 'skip memory figures are not the Zend allocator\'s with USE_ZEND_ALLOC=0 (make test-asan)'; ?>
<?php if (!is_readable('/proc/self/status')) echo 'skip needs /proc to read the RSS'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
require __DIR__ . '/../../fixtures/stream_client.php';
$srv = folk_classic(['big.php' => '<?php $n = (int) $_GET["n"]; for ($i = 0; $i < $n; $i++) echo str_repeat(chr(65 + $i % 26), 65536);']);
$pid = proc_get_status($srv[0])['pid'];
$peak = fn () => (int) preg_replace('/\D/', '', implode(preg_grep('/^VmHWM:/', file("/proc/$pid/status")))) * 1024;
$get = function (int $n) use ($srv) {
    [$c, $status, $h] = folk_stream_open($srv[2], "/big.php?n=$n", 30);
    $hash = hash_init('md5');
    $len = 0;
    while (($chunk = folk_stream_chunk($c)) !== null && $chunk !== '') { hash_update($hash, $chunk); $len += strlen($chunk); }
    fclose($c);
    return [$status, $h['transfer-encoding'][0] ?? 'not chunked', $len, hash_final($hash), $chunk === ''];
};
$get(32); // warm up: the thread, opcache, the connection buffers
$before = $peak();
[$status, $te, $len, $md5, $ended] = $get(320);
$grew = $peak() - $before;
$expected = hash_init('md5');
for ($i = 0; $i < 320; $i++) hash_update($expected, str_repeat(chr(65 + $i % 26), 65536));
echo "$status $te $len ", $md5 === hash_final($expected) ? 'exact' : 'differs', " ", $ended ? 'ended' : 'cut', "\n";
echo $grew < (8 << 20) ? "rss grew far less than the body\n" : sprintf("rss grew %.1f MiB\n", $grew / 1048576);
folk_stop_server($srv);
?>
--EXPECT--
200 chunked 20971520 exact ended
rss grew far less than the body
