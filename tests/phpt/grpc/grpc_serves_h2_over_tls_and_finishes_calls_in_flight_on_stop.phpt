--TEST--
gRPC: with grpc.tls.cert and grpc.tls.key the port serves h2 over TLS only (the handler sees tls = true; a plaintext client fails); on SIGTERM a call in flight still gets its reply, a new one is UNAVAILABLE, and the server exits cleanly
--SKIPIF--
<?php
require __DIR__ . '/../../fixtures/grpc_harness.php';
require __DIR__ . '/../../fixtures/tls.php';
if ($why = grpc_unavailable()) die("skip $why");
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/grpc_harness.php';
require __DIR__ . '/../../fixtures/tls.php';
$dir = sys_get_temp_dir() . '/folk-grpc-tls-' . getmypid();
[$cert, $key] = folk_tls_cert($dir, 'localhost');
$srv = grpc_start(['grpc' => ['tls' => ['cert' => $cert, 'key' => $key]]]);
$pid = proc_get_status($srv[0])['pid'];
echo grpc_py($srv['grpc'], <<<PY
status, (text, _), _ = say(ch, req('meta'))
print(status, json.loads(text)['tls'])
plain = grpc.insecure_channel('127.0.0.1:%d' % port)
print('plaintext:', say(plain, req('x'), timeout=2)[0])
import os, signal
inflight = ch.unary_unary('/folktest.Echo/Say').future(req('slow', delay_ms=800))
time.sleep(0.2)
os.kill($pid, signal.SIGTERM)
time.sleep(0.2)
fresh = grpc.secure_channel('localhost:%d' % port, grpc.ssl_channel_credentials(open('$cert', 'rb').read()))
print('new call after the stop began:', say(fresh, req('x'), timeout=2)[0])
print('in flight:', reply(inflight.result()))
PY, $cert);
$end = microtime(true) + 10;
$exit = 'still running';
while (microtime(true) < $end) {
    $st = proc_get_status($srv[0]);
    if (!$st['running']) { $exit = $st['exitcode']; break; }
    usleep(20000);
}
[, $log] = grpc_stop($srv);
var_dump($exit);
var_dump(str_contains($log, 'gRPC server stopped'));
folk_rm_dir($dir);
?>
--EXPECT--
OK True
plaintext: UNAVAILABLE
new call after the stop began: UNAVAILABLE
in flight: ('slept', 0)
int(0)
bool(true)
