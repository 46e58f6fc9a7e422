--TEST--
Folk\Psr7\Worker sends the response's status (with HTTP's own reason phrase), a Location without turning 201 into 302, and repeated headers (two Set-Cookie, a two-valued header) as they are
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('slim')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
$s = folk_start_server(['worker' => dirname(__DIR__, 2) . '/fixtures/frameworks_psr7_worker.php', 'workers' => ['count' => 1], 'server' => ['main_worker' => false]]);
$c = stream_socket_client("tcp://127.0.0.1:$s[2]");
fwrite($c, "GET /headers HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
$raw = stream_get_contents($c);
echo strtok($raw, "\r\n"), "\n";
[$st, $h] = folk_http($s[2], "GET", "/headers");
echo "$st location ", $h["location"][0], "\n", "set-cookie ", implode(" | ", $h["set-cookie"]), "\n", "x-multi ", implode(" | ", $h["x-multi"]), "\n";
folk_stop_server($s);
?>
--EXPECT--
HTTP/1.1 201 Created
201 location /made/1
set-cookie a=1; Path=/ | b=2; Path=/
x-multi one | two
