--TEST--
Classic mode: a request target sent with raw ", <, >, `, a fragment or bytes over 0x7F is not refused: REQUEST_URI and QUERY_STRING as sent (bytes that are not UTF-8 percent-encoded), $_GET decoded, also on a kept-alive connection after a request body
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic(['s.php' => '<?php echo $_SERVER["REQUEST_URI"], " | ", $_SERVER["QUERY_STRING"], " | ", $_SERVER["PATH_INFO"], " | ", json_encode(array_map("bin2hex", $_GET)), " | ", file_get_contents("php://input"), "\n";']);
foreach (['/s.php?a="x"&b=<y>&c=`z`', '/s.php/<p>?q=1#frag', "/s.php?e=\xE9&u=\xC3\xA9"] as $target) {
    [$status, , $body] = folk_http($srv[2], 'GET', $target);
    echo $status, ' ', $body;
}
// One connection: a POST whose body looks like such a request, then two more requests.
$c = stream_socket_client("tcp://127.0.0.1:{$srv[2]}");
$body = "GET /s.php?\"body\" HTTP/1.1\r\n\r\n";
fwrite($c, "POST /s.php?p=\"1\" HTTP/1.1\r\nhost: x\r\ncontent-type: text/plain\r\ncontent-length: " . strlen($body) . "\r\n\r\n$body"
    . "GET /s.php?n=<2> HTTP/1.1\r\nhost: x\r\n\r\nGET /s.php?n=%3C3%3E HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
for ($i = 0; $i < 3; $i++) {
    [$status, , $b] = folk_read_response($c);
    echo $status, ' ', str_replace("\r\n", '\r\n', $b);
}
folk_stop_server($srv);
?>
--EXPECT--
200 /s.php?a="x"&b=<y>&c=`z` | a="x"&b=<y>&c=`z` |  | {"a":"227822","b":"3c793e","c":"607a60"} | 
200 /s.php/<p>?q=1#frag | q=1 | /<p> | {"q":"31"} | 
200 /s.php?e=%E9&u=é | e=%E9&u=é |  | {"e":"e9","u":"c3a9"} | 
200 /s.php?p="1" | p="1" |  | {"p":"223122"} | GET /s.php?"body" HTTP/1.1\r\n\r\n
200 /s.php?n=<2> | n=<2> |  | {"n":"3c323e"} | 
200 /s.php?n=%3C3%3E | n=%3C3%3E |  | {"n":"3c333e"} | 
