--TEST--
folk and php-fpm + nginx refuse an HTTP/1.1 request without Host, any request with two Host lines or a Host nginx finds invalid, with 400 (RFC 9112 §3.2), and let HTTP/1.0 name none; for an absolute-form target folk's script sees the target's authority as HTTP_HOST and SERVER_NAME (§3.2.2; nginx keeps the Host line in HTTP_HOST)
--SKIPIF--
<?php require __DIR__ . "/../../fixtures/fpm_reference.php"; if ($why = fpm_reference_unavailable()) echo "skip $why"; elseif (fpm_folk_via_fastcgi()) echo "skip folk's own HTTP server's Host rules: behind nginx over FastCGI they are nginx's"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/fpm_reference.php';
$dump = '<?php echo "HTTP_HOST=", $_SERVER["HTTP_HOST"] ?? "(none)", " SERVER_NAME=", $_SERVER["SERVER_NAME"], "\n";';
$both = fpm_and_folk(['s.php' => $dump]);

/** Raw bytes on a new connection: the status line's code, and the body when it is the script's. */
function ask(int $port, string $request): string
{
    $c = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 5);
    stream_set_timeout($c, 5);
    fwrite($c, $request);
    $got = stream_get_contents($c);
    fclose($c);
    $status = (int) substr($got, 9, 3);
    $body = (string) substr($got, strpos($got, "\r\n\r\n") + 4);
    return $status === 200 ? "200 " . trim($body) : (string) $status;
}

$requests = [
    'HTTP/1.1 without Host' => "GET /s.php HTTP/1.1\r\nConnection: close\r\n\r\n",
    'HTTP/1.1 with two Host lines' => "GET /s.php HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\nConnection: close\r\n\r\n",
    'HTTP/1.1 with the same Host twice' => "GET /s.php HTTP/1.1\r\nHost: a.example\r\nHost: a.example\r\nConnection: close\r\n\r\n",
    'HTTP/1.0 with two Host lines' => "GET /s.php HTTP/1.0\r\nHost: a.example\r\nHost: b.example\r\n\r\n",
    'HTTP/1.1 with an empty Host' => "GET /s.php HTTP/1.1\r\nHost: \r\nConnection: close\r\n\r\n",
    'HTTP/1.1 with Host a..b' => "GET /s.php HTTP/1.1\r\nHost: a..b\r\nConnection: close\r\n\r\n",
    'HTTP/1.1 with Host a/b' => "GET /s.php HTTP/1.1\r\nHost: a/b\r\nConnection: close\r\n\r\n",
    'HTTP/1.1 absolute form without Host' => "GET http://evil.example/s.php HTTP/1.1\r\nConnection: close\r\n\r\n",
    'HTTP/1.0 without Host' => "GET /s.php HTTP/1.0\r\n\r\n",
];
foreach ($requests as $what => $request) {
    $folk = ask($both['folk'][2], $request);
    $fpm = ask($both['fpm']['port'], $request);
    // Only the status is compared for HTTP/1.0: nginx names its server_name, folk its address.
    [$folk_status, $fpm_status] = [substr($folk, 0, 3), substr($fpm, 0, 3)];
    echo $folk_status === $fpm_status ? "same $folk_status" : "DIFFERENT folk $folk fpm $fpm", ": $what\n";
}
echo "folk, absolute form: ", ask($both['folk'][2], "GET http://evil.example/s.php HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), "\n";
echo "folk, absolute form with a port: ", ask($both['folk'][2], "GET http://Shop.Example:8080/s.php HTTP/1.0\r\n\r\n"), "\n";
echo "folk, HTTP/1.0 without Host: ", ask($both['folk'][2], "GET /s.php HTTP/1.0\r\n\r\n"), "\n";
fpm_and_folk_stop($both);
?>
--EXPECT--
same 400: HTTP/1.1 without Host
same 400: HTTP/1.1 with two Host lines
same 400: HTTP/1.1 with the same Host twice
same 400: HTTP/1.0 with two Host lines
same 400: HTTP/1.1 with an empty Host
same 400: HTTP/1.1 with Host a..b
same 400: HTTP/1.1 with Host a/b
same 400: HTTP/1.1 absolute form without Host
same 200: HTTP/1.0 without Host
folk, absolute form: 200 HTTP_HOST=evil.example SERVER_NAME=evil.example
folk, absolute form with a port: 200 HTTP_HOST=Shop.Example:8080 SERVER_NAME=shop.example
folk, HTTP/1.0 without Host: 200 HTTP_HOST=(none) SERVER_NAME=127.0.0.1
