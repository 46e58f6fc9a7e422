--TEST--
Laravel in worker mode: the URL generator (forgotten in each sandbox) builds absolute URLs from each request's own Host, not from the first request the worker served
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('laravel')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
$h = fw_start("laravel");
foreach (["one.test", "two.test:8080", "one.test"] as $host) {
    // One Host header only (folk_http sends its own).
    $c = stream_socket_client("tcp://127.0.0.1:$h[port]");
    fwrite($c, "GET /url HTTP/1.1\r\nhost: $host\r\nconnection: close\r\n\r\n");
    [$st, , $b] = folk_read_response($c);
    fclose($c);
    echo "$host: $st $b\n";
}
echo "boots: ", fw_boots($h), "\n";
fw_stop($h);
?>
--EXPECT--
one.test: 200 {"url":"http:\/\/one.test\/x","route":"http:\/\/one.test\/named","current":"http:\/\/one.test\/url"}
two.test:8080: 200 {"url":"http:\/\/two.test:8080\/x","route":"http:\/\/two.test:8080\/named","current":"http:\/\/two.test:8080\/url"}
one.test: 200 {"url":"http:\/\/one.test\/x","route":"http:\/\/one.test\/named","current":"http:\/\/one.test\/url"}
boots: 1
