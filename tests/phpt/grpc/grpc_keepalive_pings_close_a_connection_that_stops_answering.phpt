--TEST--
gRPC: with grpc.keepalive_interval the server PINGs idle connections; one whose client answers stays open, one whose client stops answering is closed after grpc.keepalive_timeout
--SKIPIF--
<?php
require __DIR__ . '/../../fixtures/grpc_harness.php';
if ($why = grpc_unavailable()) die("skip $why");
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/grpc_harness.php';
$srv = grpc_start(['grpc' => ['keepalive_interval' => '200ms', 'keepalive_timeout' => '300ms']]);
echo grpc_py($srv['grpc'], <<<'PY'
pings, closed = ping_behaviour(port, True, 1.5)
print('answering client:', 'pinged' if pings >= 3 else 'pinged %d times' % pings, 'closed' if closed else 'open')
pings, closed = ping_behaviour(port, False, 3)
print('silent client:', 'pinged' if pings >= 1 else 'not pinged', 'closed' if closed else 'open')
PY);
[$code] = grpc_stop($srv);
var_dump($code);
?>
--EXPECT--
answering client: pinged open
silent client: pinged closed
int(0)
