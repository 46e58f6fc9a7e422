--TEST--
gRPC health: a Watch sees SERVING, then NOT_SERVING as soon as SIGTERM begins the stop, while a slow call is still running (which then completes); the Watch then ends so the stop does not wait for it
--SKIPIF--
<?php
require __DIR__ . '/../../fixtures/grpc_builtins.php';
if ($why = grpc_builtins_unavailable()) die("skip $why");
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/grpc_builtins.php';
$srv = grpc_start(['grpc' => ['proto' => grpc_protos()], 'server' => ['shutdown_timeout' => '10s']]);
$pid = proc_get_status($srv[0])['pid'];
echo grpc_builtins_py($srv['grpc'], "PID = $pid\n" . <<<'PY'
import os, signal, threading
print('check', health_check(ch, ''), health_check(ch, 'folktest.Echo'), health_check(ch, 'folktest.greeter.Greeter'), health_check(ch, 'no.Such'))
slow = None
seen = []
def watch():
    for s in health_watch(ch, 'folktest.Echo', timeout=30):
        seen.append((s, time.time(), slow is not None and not slow.done()))
t = threading.Thread(target=watch)
t.start()
deadline = time.time() + 10
while not seen and time.time() < deadline:
    time.sleep(0.01)
slow = ch.unary_unary('/folktest.Echo/Say').future(req('slow', delay_ms=2500))
time.sleep(0.7)  # the slow call is running in PHP
sigterm_at = time.time()
os.kill(PID, signal.SIGTERM)
t.join(15)
print('watch', [s for s, _, _ in seen])
at, running = next((at, running) for s, at, running in seen if s == 'NOT_SERVING')
print('NOT_SERVING within 1s of SIGTERM:', at - sigterm_at < 1.0, '| the slow call still running then:', running)
print('slow call', reply(slow.result()))
PY);
// The test's SIGTERM stops the server: wait for its exit code (grpc_stop() then only cleans up).
$deadline = microtime(true) + 15;
while (($st = proc_get_status($srv[0]))['running'] && microtime(true) < $deadline) usleep(20000);
echo 'exit ', $st['running'] ? 'still running' : $st['exitcode'], "\n";
grpc_stop($srv);
?>
--EXPECT--
check SERVING SERVING SERVING NOT_FOUND
watch ['SERVING', 'NOT_SERVING', 'end OK']
NOT_SERVING within 1s of SIGTERM: True | the slow call still running then: True
slow call ('slept', 0)
exit 0
