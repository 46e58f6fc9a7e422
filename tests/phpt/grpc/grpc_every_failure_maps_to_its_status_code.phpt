--TEST--
gRPC: every way a call fails has its status code: Folk\Grpc\Exception keeps its own, an uncaught exception is UNKNOWN (its message stays in the log), a fatal error and exit() are INTERNAL, a handler returning no message is UNKNOWN, exec_timeout is DEADLINE_EXCEEDED, a full queue is RESOURCE_EXHAUSTED, so are messages over grpc.max_recv_message_size (a gzip bomb too) and grpc.max_send_message_size; folk_grpc_requests_total counts each by code
--SKIPIF--
<?php
require __DIR__ . '/../../fixtures/grpc_harness.php';
if ($why = grpc_unavailable()) die("skip $why");
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/grpc_harness.php';
$metrics = folk_free_port();
$srv = grpc_start([
    'workers' => ['count' => 1, 'exec_timeout' => '1s'],
    'server' => ['main_worker' => false],
    'queue' => ['size' => 1],
    'metrics' => ['listen' => "127.0.0.1:$metrics"],
    'grpc' => ['max_recv_message_size' => '64K', 'max_send_message_size' => '32K'],
]);
echo grpc_py($srv['grpc'], <<<'PY'
print(say(ch, req('fail', code=5)))
print(say(ch, req('fail', code=16)))
print(say(ch, req('throw')))
print(say(ch, req('fatal')))
print(say(ch, req('exit')))
print(say(ch, req('nothing')))
print(say(ch, req('slow', delay_ms=3000)))
print(say(ch, req('x' * (64 << 10))))
print(say(ch, req('x' * (1 << 20)), compression=grpc.Compression.Gzip))
print(say(ch, req('big', count=(32 << 10) + 1))[0], say(ch, req('big', count=(32 << 10) - 16))[0])
# One call runs, one waits in the queue (size 1): the third is refused at once.
calls = [ch.unary_unary('/folktest.Echo/Say').future(req('slow', delay_ms=600)) for _ in range(3)]
codes = []
for c in calls:
    try:
        c.result(); codes.append('OK')
    except grpc.RpcError as e:
        codes.append(e.code().name)
print(sorted(codes))
PY);
[$s, $h] = folk_http($srv['grpc'], 'GET', '/'); // HTTP/1.1 on an h2-only port: the connection is refused
var_dump($s);
[, , $page] = folk_http($metrics, 'GET', '/metrics');
foreach (explode("\n", $page) as $l) if (str_starts_with($l, 'folk_grpc_requests_total{')) echo $l, "\n";
[$code, $log] = grpc_stop($srv);
var_dump($code);
var_dump(str_contains($log, 'a secret the client must not see'));
?>
--EXPECT--
('NOT_FOUND', 'failed on purpose')
('UNAUTHENTICATED', 'failed on purpose')
('UNKNOWN', 'the handler failed')
('INTERNAL', 'the worker died during the call')
('INTERNAL', 'the worker died during the call')
('UNKNOWN', 'the handler failed')
('DEADLINE_EXCEEDED', 'job exceeded exec_timeout of 1s; it was interrupted and the worker recycled')
('RESOURCE_EXHAUSTED', 'Error, decoded message length too large: found 65540 bytes, the limit is: 65536 bytes')
('RESOURCE_EXHAUSTED', 'Error decompressing: size limit, of 65536 bytes, exceeded while decompressing message')
RESOURCE_EXHAUSTED OK
['OK', 'OK', 'RESOURCE_EXHAUSTED']
int(0)
folk_grpc_requests_total{service="folktest.Echo",method="Say",code="OK"} 3
folk_grpc_requests_total{service="folktest.Echo",method="Say",code="UNKNOWN"} 2
folk_grpc_requests_total{service="folktest.Echo",method="Say",code="DEADLINE_EXCEEDED"} 1
folk_grpc_requests_total{service="folktest.Echo",method="Say",code="NOT_FOUND"} 1
folk_grpc_requests_total{service="folktest.Echo",method="Say",code="RESOURCE_EXHAUSTED"} 4
folk_grpc_requests_total{service="folktest.Echo",method="Say",code="INTERNAL"} 2
folk_grpc_requests_total{service="folktest.Echo",method="Say",code="UNAUTHENTICATED"} 1
int(0)
bool(true)
