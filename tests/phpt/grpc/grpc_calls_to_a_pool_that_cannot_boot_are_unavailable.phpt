--TEST--
gRPC: while the pool is unhealthy (its worker script throws at boot, every retry), calls are answered UNAVAILABLE with the reason, not left waiting
--SKIPIF--
<?php
require __DIR__ . '/../../fixtures/grpc_harness.php';
if ($why = grpc_unavailable()) die("skip $why");
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/grpc_harness.php';
$srv = grpc_start(['worker' => __DIR__ . '/../../fixtures/worker_boot_throws.php', 'server' => ['main_worker' => false]]);
echo grpc_py($srv['grpc'], <<<'PY'
t = time.time()
code, details = say(ch, req('x'), timeout=20)
print(code, details.startswith('server unhealthy:'), 'within 10s' if time.time() - t < 10 else 'late')
PY);
[$code] = grpc_stop($srv);
var_dump($code);
?>
--EXPECT--
UNAVAILABLE True within 10s
int(0)
