--TEST--
Worker mode: flush() streams the head and output before the handler returns, and fastcgi_finish_request() answers the client at once while the handler runs on (later output dropped)
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
require __DIR__ . '/../../fixtures/stream_client.php';
$marker = sys_get_temp_dir() . '/folk-finish-' . getmypid();
@unlink($marker);
$worker = <<<PHP
<?php
while (Folk\Worker::handleRequest(function () {
    if (isset(\$_GET['stream'])) {
        while (ob_get_level()) ob_end_flush();
        header('X-Mine: 1'); echo "a"; flush(); usleep(300000); echo "b"; return;
    }
    if (isset(\$_GET['finish'])) {
        echo "done"; fastcgi_finish_request(); echo "dropped"; usleep(300000);
        file_put_contents('$marker', 'ran on'); return;
    }
    echo "plain";
})) {}
PHP;
$srv = folk_worker_mode($worker);
$port = $srv[2];
$t0 = microtime(true);
[$c, $status, $h] = folk_stream_open($port, '/?stream=1');
$a = folk_stream_chunk($c);
$tA = microtime(true);
[$rest, $ended] = folk_stream_rest($c);
$tB = microtime(true);
fclose($c);
echo "$status ", $h['transfer-encoding'][0] ?? 'no te', " {$h['x-mine'][0]} $a$rest ", $ended ? 'ended' : 'cut', "\n";
echo $tA - $t0 < 0.2 ? 'a early' : 'a late', ' ', $tB - $tA > 0.2 ? 'b later' : 'b too soon', "\n";
$t = microtime(true);
[$s, , $b] = folk_http($port, 'GET', '/?finish=1');
echo "$s $b ", microtime(true) - $t < 0.2 ? 'answered at once' : 'answered late', "\n";
usleep(500000);
echo @file_get_contents($marker) ?: 'did not run on', "\n";
[$s, , $b] = folk_http($port, 'GET', '/');
echo "$s $b\n";
@unlink($marker);
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
200 chunked 1 ab ended
a early b later
200 done answered at once
ran on
200 plain
int(0)
