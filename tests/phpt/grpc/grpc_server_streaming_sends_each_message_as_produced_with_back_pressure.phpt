--TEST--
gRPC: a handler that returns an iterable streams its messages (a generator: each sent as it is produced; an array; a Folk\Grpc\Exception thrown mid-stream ends it with its status after the messages before it); a slow client holds the generator back (back-pressure) instead of the server buffering the stream
--SKIPIF--
<?php
require __DIR__ . '/../../fixtures/grpc_harness.php';
if ($why = grpc_unavailable()) die("skip $why");
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/grpc_harness.php';
$srv = grpc_start();
echo grpc_py($srv['grpc'], <<<'PY'
r = stream(ch, req('count', count=5))
print(r[0], [i for _, i in r[1]])
print(stream(ch, req('list')))
print(stream(ch, req('fail', code=10)))
# Produced as they go: with 200 ms between yields, the first reply is here long before the last is made.
start = time.time()
it = ch.unary_stream('/folktest.Echo/Stream')(req('paced', count=3, delay_ms=200))
first = next(it); took = time.time() - start
rest = list(it)
print('first reply after %s' % ('< 150ms' if took < 0.15 else '%.3fs' % took), len(rest))
# 64 replies of 256 KiB (16 MiB) to a client that opens no flow-control window for 1.5 s: without
# back-pressure the generator would make them all at once; with it, it waits for the client, and
# most replies are made after the client started reading.
stall_end, replies = stalled_stream(port, '/folktest.Echo/Stream', req('big', count=64, code=256), 1.5)
made = [float(reply(r)[0].strip()) for r in replies]
late = sum(1 for t in made if t >= stall_end - 0.05)
print(len(made), 'generator held back' if late >= 40 else 'generator ran ahead: %d of 64 made after the stall' % late)
PY, null, 120);
[$code] = grpc_stop($srv);
var_dump($code);
?>
--EXPECT--
OK [0, 1, 2, 3, 4]
('OK', [('a', 0), ('b', 1)])
('ABORTED', 'stream failed', [('first', 0)])
first reply after < 150ms 2
64 generator held back
int(0)
