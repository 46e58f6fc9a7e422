--TEST--
gRPC with grpc.proto: a method no .proto declares (unknown service, unknown method of a known service, one of the built-in packages) is UNIMPLEMENTED from folk without a job reaching PHP (counted in folk_grpc_requests_total as service "other", keeping the labels to the declared methods); so is a declared client- or bidi-streaming method (PHP serves unary and server streaming); a declared unary method still runs in PHP; without grpc.proto the same unknown path reaches PHP
--SKIPIF--
<?php
require __DIR__ . '/../../fixtures/grpc_builtins.php';
if ($why = grpc_builtins_unavailable()) die("skip $why");
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/grpc_builtins.php';
$calls = <<<'PY'
for path in ('/folktest.Echo/Nope', '/nope.Service/Say', '/grpc.health.v1.Health/Nope'):
    try:
        ch.unary_unary(path)(b'', timeout=10)
        print(path, 'OK')
    except grpc.RpcError as e:
        print(path, e.code().name, e.details())
try:
    print('Chat', list(ch.stream_stream('/folktest.greeter.Greeter/Chat')(iter([b'']), timeout=10)))
except grpc.RpcError as e:
    print('Chat', e.code().name, e.details())
PY;
foreach ([['proto' => grpc_protos()], []] as $grpc) {
    $metrics = folk_free_port();
    $srv = grpc_start(['grpc' => $grpc, 'metrics' => ['listen' => "127.0.0.1:$metrics"]]);
    echo $grpc ? "with grpc.proto:\n" : "without:\n";
    $before = grpc_metric($metrics, 'folk_jobs_submitted_total');
    echo grpc_builtins_py($srv['grpc'], $calls);
    echo 'jobs for them: ', grpc_metric($metrics, 'folk_jobs_submitted_total') - $before, "\n";
    echo 'counted as other: ', grpc_metric($metrics, 'folk_grpc_requests_total{service="other",method="other",code="UNIMPLEMENTED"}'), "\n";
    echo grpc_builtins_py($srv['grpc'], "print(say(ch, req('php'))[:2])");
    echo 'jobs after a declared call: ', grpc_metric($metrics, 'folk_jobs_submitted_total') - $before, "\n";
    grpc_stop($srv);
}
?>
--EXPECT--
with grpc.proto:
/folktest.Echo/Nope UNIMPLEMENTED unknown method /folktest.Echo/Nope: no file of grpc.proto declares it
/nope.Service/Say UNIMPLEMENTED unknown method /nope.Service/Say: no file of grpc.proto declares it
/grpc.health.v1.Health/Nope UNIMPLEMENTED 
Chat UNIMPLEMENTED /folktest.greeter.Greeter/Chat streams requests (client or bidirectional streaming): PHP handlers serve unary and server-streaming methods
jobs for them: 0
counted as other: 2
('OK', ('hello php', 0))
jobs after a declared call: 1
without:
/folktest.Echo/Nope UNIMPLEMENTED no method /folktest.Echo/Nope
/nope.Service/Say UNIMPLEMENTED no method /nope.Service/Say
/grpc.health.v1.Health/Nope UNIMPLEMENTED 
Chat UNIMPLEMENTED no method /folktest.greeter.Greeter/Chat
jobs for them: 3
counted as other: 0
('OK', ('hello php', 0))
jobs after a declared call: 4
