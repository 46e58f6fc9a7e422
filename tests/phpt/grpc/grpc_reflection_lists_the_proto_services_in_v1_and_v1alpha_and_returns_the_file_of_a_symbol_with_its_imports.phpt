--TEST--
gRPC reflection, v1 and v1alpha: lists the services of grpc.proto and the built-in ones, returns the file declaring a symbol (and a well-known import by name: compiled without protoc), and NOT_FOUND for an unknown symbol
--SKIPIF--
<?php
require __DIR__ . '/../../fixtures/grpc_builtins.php';
if ($why = grpc_builtins_unavailable()) die("skip $why");
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/grpc_builtins.php';
$srv = grpc_start(['grpc' => ['proto' => grpc_protos()]]);
echo grpc_builtins_py($srv['grpc'], <<<'PY'
for v in ('v1', 'v1alpha'):
    print(v, reflect_services(ch, v))
print('\n'.join(reflect_files(ch, 'v1', symbol='folktest.Echo')))
print('\n'.join(reflect_files(ch, 'v1alpha', symbol='folktest.greeter.Greeter')))
print('\n'.join(reflect_files(ch, 'v1', filename='google/protobuf/empty.proto')))
print('\n'.join(reflect_files(ch, 'v1', symbol='folktest.Nope')))
PY);
[$code, $log] = grpc_stop($srv);
echo "exit $code\n";
?>
--EXPECT--
v1 ['folktest.Echo', 'folktest.greeter.Greeter', 'grpc.health.v1.Health', 'grpc.reflection.v1.ServerReflection']
v1alpha ['folktest.Echo', 'folktest.greeter.Greeter', 'grpc.health.v1.Health', 'grpc.reflection.v1alpha.ServerReflection']
echo.proto services=Echo messages=EchoRequest,EchoReply imports=
greeter.proto services=Greeter messages= imports=google/protobuf/empty.proto
google/protobuf/empty.proto services= messages=Empty imports=
error NOT_FOUND
exit 0
