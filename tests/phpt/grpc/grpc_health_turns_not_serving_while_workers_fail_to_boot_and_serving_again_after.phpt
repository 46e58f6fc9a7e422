--TEST--
gRPC health follows the pool: SERVING, NOT_SERVING once the only worker died and its replacement keeps failing to boot (the pool is unhealthy: /readyz says 503 too), SERVING again once it boots
--SKIPIF--
<?php
require __DIR__ . '/../../fixtures/grpc_builtins.php';
if ($why = grpc_builtins_unavailable()) die("skip $why");
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/grpc_builtins.php';
$flag = sys_get_temp_dir() . '/folk-grpc-no-boot-' . bin2hex(random_bytes(4));
$metrics = folk_free_port();
$srv = grpc_start([
    'metrics' => ['listen' => "127.0.0.1:$metrics"],
    'worker' => __DIR__ . '/../../fixtures/worker_grpc_flaky_boot.php',
    'workers' => ['count' => 1],
    'server' => ['main_worker' => false],
    'grpc' => ['proto' => grpc_protos()],
], ['TEST_GRPC_NO_BOOT' => $flag]);
$wait = <<<'PY'
def wait_for(status, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if health_check(ch, '') == status:
            return status
        time.sleep(0.05)
    return 'still ' + health_check(ch, '')
PY;
echo grpc_builtins_py($srv['grpc'], $wait . "\nFLAG = " . var_export($flag, true) . "\n" . <<<'PY'
print('first', health_check(ch, ''))
open(FLAG, 'w').close()
print('exit call', say(ch, req('exit'))[0])
print('then', wait_for('NOT_SERVING', 15), health_check(ch, 'folktest.Echo'))
PY);
[$status] = folk_http($metrics, 'GET', '/readyz');
echo "/readyz $status\n";
unlink($flag);
echo grpc_builtins_py($srv['grpc'], $wait . "\n" . <<<'PY'
print('after the fix', wait_for('SERVING', 20), health_check(ch, 'folktest.Echo'))
print('call', say(ch, req('php'))[:2])
PY);
[$code, $log] = grpc_stop($srv);
echo "exit $code\n";
?>
--EXPECT--
first SERVING
exit call INTERNAL
then NOT_SERVING NOT_SERVING
/readyz 503
after the fix SERVING SERVING
call ('OK', ('hello php', 0))
exit 0
