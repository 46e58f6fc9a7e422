--TEST--
A body that goes past http.max_body_size while it is being written to its temporary file gets 413 at once, before the client has finished sending (HTTP/1.1 chunked, and h2 without a content-length), its file is closed, and the server serves on; a Content-Length over the limit gets 413 before any body byte is read
--SKIPIF--
<?php
if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
elseif (!is_dir('/proc/self/fd')) echo 'skip needs /proc';
elseif (!str_contains((string) shell_exec('curl --version 2>/dev/null'), 'nghttp2')) echo 'skip needs curl with HTTP/2';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/body_spool.php';
require __DIR__ . '/../../fixtures/tls.php';
$tls = sys_get_temp_dir() . '/folk-413-tls-' . getmypid();
[$cert, $key] = folk_tls_cert($tls, 'localhost');
$srv = folk_start_server(['workers' => ['count' => 1], 'http' => ['max_body_size' => '1M', 'access_log' => true, 'tls' => ['cert' => $cert, 'key' => $key]]]);
[$port, $pid] = [$srv[2], proc_get_status($srv[0])['pid']];
$ctx = stream_context_create(['ssl' => ['verify_peer' => false, 'verify_peer_name' => false, 'alpn_protocols' => 'http/1.1']]);
$connect = fn() => stream_socket_client("tls://127.0.0.1:$port", $errno, $errstr, 5, STREAM_CLIENT_CONNECT, $ctx);

// HTTP/1.1 chunked: 1.5 MiB of chunks, and the body never ends.
$c = $connect();
fwrite($c, "POST /echo HTTP/1.1\r\nhost: t\r\ntransfer-encoding: chunked\r\n\r\n");
$chunk = str_repeat('c', 64 << 10);
for ($i = 0; $i < 24; $i++) if (!@fwrite($c, dechex(strlen($chunk)) . "\r\n$chunk\r\n")) break;
stream_set_timeout($c, 5);
[$s, $h] = folk_read_response($c);
echo "chunked: $s, connection: ", $h['connection'][0] ?? '-', ", spool files still open: ", json_encode(folk_wait_no_spool_fds($pid)), "\n";
fclose($c);

// h2 without a content-length (curl reads the body from a pipe this test never closes).
$p = proc_open(['curl', '-sk', '--http2', '-T', '-', '-X', 'POST', '-o', '/dev/null', "https://127.0.0.1:$port/h2"], [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
stream_set_blocking($pipes[0], false);
$sent = 0;
$deadline = microtime(true) + 10;
while (proc_get_status($p)['running'] && microtime(true) < $deadline) {
    if ($sent < (4 << 20)) $sent += (int) @fwrite($pipes[0], $chunk);
    usleep(2000);
}
echo 'h2: curl ', proc_get_status($p)['running'] ? 'STILL SENDING' : 'was answered while its body was still open', ", spool files still open: ", json_encode(folk_wait_no_spool_fds($pid)), "\n";
fclose($pipes[0]);
proc_close($p);

// A Content-Length over the limit: 413 without reading the body.
$c = $connect();
fwrite($c, "POST /echo HTTP/1.1\r\nhost: t\r\ncontent-length: 2097152\r\n\r\n");
stream_set_timeout($c, 5);
echo 'content-length: ', folk_read_response($c)[0], "\n";
fclose($c);

$c = $connect();
fwrite($c, folk_http_request('POST', '/echo', ['connection' => 'close'], 'still serving'));
[$s, , $b] = folk_read_response($c);
echo "after: $s $b\n";
[$code, $log] = folk_stop_server($srv);
folk_rm_dir($tls);
echo 'log: ', preg_match('#POST /h2 413#', preg_replace('/\e\[[0-9;]*m/', '', $log)) ? 'POST /h2 413' : 'no 413 for /h2', "\n";
var_dump($code);
?>
--EXPECT--
chunked: 413, connection: close, spool files still open: []
h2: curl was answered while its body was still open, spool files still open: []
content-length: 413
after: 200 still serving
log: POST /h2 413
int(0)
