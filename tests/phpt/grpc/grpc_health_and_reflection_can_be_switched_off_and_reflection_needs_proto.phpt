--TEST--
gRPC: grpc.health=false and grpc.reflection=false turn the built-in services off (their calls are then UNIMPLEMENTED); without grpc.proto there is no reflection (the path reaches PHP like any other) and health knows only the server ("")
--SKIPIF--
<?php
require __DIR__ . '/../../fixtures/grpc_builtins.php';
if ($why = grpc_builtins_unavailable()) die("skip $why");
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/grpc_builtins.php';
$probe = <<<'PY'
try:
    print('reflection', reflect_services(ch, 'v1'))
except grpc.RpcError as e:
    print('reflection', e.code().name, e.details())
print('health', health_check(ch, ''), health_check(ch, 'folktest.Echo'))
PY;
foreach ([
    'off' => ['proto' => grpc_protos(), 'health' => false, 'reflection' => false],
    'no proto' => [],
] as $case => $grpc) {
    $srv = grpc_start(['grpc' => $grpc]);
    echo "$case:\n", grpc_builtins_py($srv['grpc'], $probe);
    grpc_stop($srv);
}
?>
--EXPECT--
off:
reflection UNIMPLEMENTED unknown method /grpc.reflection.v1.ServerReflection/ServerReflectionInfo: no file of grpc.proto declares it
health UNIMPLEMENTED UNIMPLEMENTED
no proto:
reflection UNIMPLEMENTED no method /grpc.reflection.v1.ServerReflection/ServerReflectionInfo
health SERVING NOT_FOUND
