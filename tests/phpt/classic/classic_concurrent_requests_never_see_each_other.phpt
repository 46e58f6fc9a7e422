--TEST--
Classic mode: 64 concurrent clients on 2 workers, each with its own query, headers, cookies and session: no request sees another's headers, cookies, superglobals or output
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$dir = sys_get_temp_dir() . '/folk-sess-c-' . getmypid();
@mkdir($dir);
$srv = folk_classic(['iso.php' => '<?php $id = $_GET["id"]; session_save_path(' . var_export($dir, true) . '); session_id("s$id"); session_start();'
    . ' if ($id % 2) header("X-Odd: $id"); header("X-Id: $id"); setcookie("id", $id); $_SESSION["id"] = $id;'
    . ' usleep(random_int(0, 3000)); echo json_encode([$id, $_COOKIE["c"] ?? null, $_SERVER["HTTP_X_ID"] ?? null, $_SESSION["id"], count(headers_list()), isset($GLOBALS["seen"])]); $GLOBALS["seen"] = 1;'],
    ['workers' => ['count' => 2]]);
$port = $srv[2];
$socks = [];
for ($i = 1; $i <= 64; $i++) {
    $c = stream_socket_client("tcp://127.0.0.1:$port", $e, $es, 10);
    fwrite($c, folk_http_request('GET', "/iso.php?id=$i", ['cookie' => "c=$i", 'x-id' => "$i", 'connection' => 'close'], ''));
    $socks[$i] = $c;
}
$bad = 0;
foreach ($socks as $i => $c) {
    [$s, $h, $b] = folk_read_response($c);
    fclose($c);
    $want = json_encode(["$i", "$i", "$i", "$i", $i % 2 ? 8 : 7, false]);
    if ($s !== 200 || $b !== $want || $h['x-id'] !== ["$i"] || ($h['x-odd'] ?? null) !== ($i % 2 ? ["$i"] : null)
        || !in_array("id=$i", $h['set-cookie'], true) || count($h['set-cookie']) !== 2) { $bad++; echo "request $i: $s $b\n"; }
}
echo "$bad of 64 saw another request\n";
array_map('unlink', glob("$dir/*")); rmdir($dir);
folk_stop_server($srv);
?>
--EXPECT--
0 of 64 saw another request
