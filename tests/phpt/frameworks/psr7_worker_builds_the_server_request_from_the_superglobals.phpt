--TEST--
Folk\Psr7\Worker builds the PSR-7 ServerRequest from the request superglobals: method, URI with host and query, protocol, headers, cookies, query params, parsed form body, php://input body
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('slim')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
$s = folk_start_server(['worker' => dirname(__DIR__, 2) . '/fixtures/frameworks_psr7_worker.php', 'workers' => ['count' => 1], 'server' => ['main_worker' => false]]);
[$st, , $b] = folk_http($s[2], "POST", "/request?q=1&list[]=a", ["x-test" => "hello", "cookie" => "c1=v1; c2=v2", "content-type" => "application/x-www-form-urlencoded"], "f=1&g[h]=2");
echo "$st $b\n";
[$st, , $b] = folk_http($s[2], "PUT", "/request", ["content-type" => "application/json"], "{\"k\":true}");
echo "$st $b\n";
folk_stop_server($s);
?>
--EXPECT--
200 {"method":"POST","uri":"http://127.0.0.1/request?q=1&list%5B%5D=a","protocol":"1.1","query":{"q":"1","list":["a"]},"cookies":{"c1":"v1","c2":"v2"},"x-test":["hello"],"content-type":"application/x-www-form-urlencoded","parsed":{"f":"1","g":{"h":"2"}},"body":"f=1&g[h]=2","server_params":true}
200 {"method":"PUT","uri":"http://127.0.0.1/request","protocol":"1.1","query":[],"cookies":[],"x-test":[],"content-type":"application/json","parsed":null,"body":"{\"k\":true}","server_params":true}
