--TEST--
gRPC: a client's grpc-timeout answers DEADLINE_EXCEEDED on time; in grpc.deadline = queue mode a running handler is not interrupted (no worker replaced) and a queued call whose deadline passed is dropped unrun; a call the client cancels while queued is dropped unrun too (folk_jobs_total abandoned, folk_grpc_cancelled_total); in interrupt mode the deadline interrupts the handler
--SKIPIF--
<?php
require __DIR__ . '/../../fixtures/grpc_harness.php';
if ($why = grpc_unavailable()) die("skip $why");
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/grpc_harness.php';
$metrics = folk_free_port();
$srv = grpc_start(['workers' => ['count' => 1], 'server' => ['main_worker' => false], 'metrics' => ['listen' => "127.0.0.1:$metrics"]]);
echo grpc_py($srv['grpc'], <<<'PY'
t = time.time()
r = say(ch, req('slow', delay_ms=1500), timeout=0.3)
print('running past its deadline:', r[0], 'after < 1s' if time.time() - t < 1.0 else 'late')
time.sleep(1.5)
# The worker is busy 1 s; a call queued behind it gives up after 0.3 s, and another is cancelled.
busy = ch.unary_unary('/folktest.Echo/Say').future(req('slow', delay_ms=1000))
time.sleep(0.1)
print('queued past its deadline:', say(ch, req('never runs'), timeout=0.3)[0])
cancelled = ch.unary_unary('/folktest.Echo/Say').future(req('never runs either'))
time.sleep(0.1)
cancelled.cancel()
print('busy call:', reply(busy.result()))
print('after:', say(ch, req('again'))[:2])
PY);
sleep(1);
echo 'abandoned: ', grpc_metric($metrics, 'folk_jobs_total{outcome="abandoned"}'), "\n";
echo 'cancelled: ', grpc_metric($metrics, 'folk_grpc_cancelled_total'), "\n";
echo 'recycled: ', grpc_metric($metrics, 'folk_recycles_total{reason="exec_timeout"}'), "\n";
[$code, $log] = grpc_stop($srv);
var_dump($code);
var_dump(substr_count($log, 'never runs'));

$srv = grpc_start(['workers' => ['count' => 1], 'server' => ['main_worker' => false], 'grpc' => ['deadline' => 'interrupt'], 'metrics' => ['listen' => "127.0.0.1:$metrics"]]);
echo grpc_py($srv['grpc'], <<<'PY'
print('interrupt mode:', say(ch, req('slow', delay_ms=3000), timeout=0.5)[0])
time.sleep(0.5)
print('after:', say(ch, req('again'))[:2])
PY);
echo 'recycled: ', grpc_metric($metrics, 'folk_recycles_total{reason="exec_timeout"}'), "\n";
[$code] = grpc_stop($srv);
var_dump($code);
?>
--EXPECT--
running past its deadline: DEADLINE_EXCEEDED after < 1s
queued past its deadline: DEADLINE_EXCEEDED
busy call: ('slept', 0)
after: ('OK', ('hello again', 0))
abandoned: 2
cancelled: 1
recycled: 0
int(0)
int(0)
interrupt mode: DEADLINE_EXCEEDED
after: ('OK', ('hello again', 0))
recycled: 1
int(0)
