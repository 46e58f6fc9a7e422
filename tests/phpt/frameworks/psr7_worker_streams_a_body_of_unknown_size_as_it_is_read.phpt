--TEST--
Folk\Psr7\Worker streams a response body of unknown size: the head and first chunk reach the client before the later chunks are made; a body of known size goes whole with its Content-Length
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('slim')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
$s = folk_start_server(['worker' => dirname(__DIR__, 2) . '/fixtures/frameworks_psr7_worker.php', 'workers' => ['count' => 1], 'server' => ['main_worker' => false]]);
$c = stream_socket_client("tcp://127.0.0.1:$s[2]");
$t0 = microtime(true);
fwrite($c, "GET /stream HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
$head = "";
while (!str_contains($head, "first") && !feof($c)) $head .= fread($c, 8192);
$tFirst = microtime(true) - $t0;
$rest = stream_get_contents($c);
$tAll = microtime(true) - $t0;
echo preg_match("/transfer-encoding: chunked/i", $head) ? "chunked\n" : "NOT CHUNKED\n";
echo str_contains($rest, "third") ? "all three chunks\n" : "CHUNKS MISSING\n";
echo $tAll - $tFirst > 0.6 ? "first chunk before the others were made\n" : sprintf("NOT STREAMED: first %.2fs, all %.2fs\n", $tFirst, $tAll);
[$st, $h, $b] = folk_http($s[2], "GET", "/whole");
echo "$st content-length ", $h["content-length"][0] ?? "none", ", body ", strlen($b), "\n";
folk_stop_server($s);
?>
--EXPECT--
chunked
all three chunks
first chunk before the others were made
200 content-length 10000, body 10000
