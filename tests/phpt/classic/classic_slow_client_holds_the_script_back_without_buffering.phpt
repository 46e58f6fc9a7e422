--TEST--
Classic mode: a client that does not read a large streamed response holds the script back (bounded stream, no growing buffer in the server), and reading it to the end gets every byte
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$progress = sys_get_temp_dir() . '/folk-slow-' . getmypid();
@unlink($progress);
// 64 MiB in 64 KiB flushed chunks; the script records how far it got.
$srv = folk_classic(['big.php' => "<?php while (ob_get_level()) ob_end_flush(); \$c = str_repeat('x', 65536);
for (\$i = 1; \$i <= 1024; \$i++) { echo \$c; flush(); if (\$i % 16 === 0) file_put_contents('$progress', \$i); }"]);
$pid = proc_get_status($srv[0])['pid'];
$rss = fn () => (int) preg_replace('/\D/', '', preg_grep('/^VmRSS/', file("/proc/$pid/status"))[array_key_first(preg_grep('/^VmRSS/', file("/proc/$pid/status")))]);
$before = $rss();
$c = stream_socket_client("tcp://127.0.0.1:{$srv[2]}");
stream_set_read_buffer($c, 0);
fwrite($c, "GET /big.php HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
// Do not read for a while: the socket buffers fill, then the script must wait.
usleep(1500000);
$stalled = (int) @file_get_contents($progress);
$held = $rss() - $before;
echo $stalled < 1024 ? "script held back\n" : "script ran to the end unread\n";
echo $held < 32 * 1024 ? "server memory bounded\n" : "server buffered {$held} KiB\n";
$n = 0;
while (!feof($c)) { $n += strlen(fread($c, 1 << 20)); }
fclose($c);
echo $n > 64 << 20 ? "all bytes arrived\n" : "only $n bytes\n";
echo (int) @file_get_contents($progress), "\n";
@unlink($progress);
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
script held back
server memory bounded
all bytes arrived
1024
int(0)
