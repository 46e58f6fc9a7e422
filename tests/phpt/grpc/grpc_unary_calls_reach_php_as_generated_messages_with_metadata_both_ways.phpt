--TEST--
gRPC: unary calls reach the PHP handler as protoc-generated messages (grpcio client, Debian's protoc and protobuf runtime): the reply message, request metadata with -bin values decoded, the deadline, response headers and trailers from Folk\Grpc\Reply with a -bin value encoded (trailers on a stream too), a string returned as raw bytes, and gzip both ways
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
print(say(ch, req('folk'))[:2])
status, (text, _), headers = say(ch, req('meta'), metadata=[('x-a', '1'), ('x-a', '2'), ('tag-bin', b'\x00\xff')], timeout=30)
seen = json.loads(text)
print(status, seen['metadata']['x-a'], seen['metadata']['tag-bin'], 'grpc-timeout' in seen['metadata'], 'te' in seen['metadata'])
print(seen['deadline'], seen['service'], seen['method'], seen['tls'], seen['peer'])
h = dict((k, v) for k, v in headers if k != 'date')
print(h['x-answer'], [v for k, v in headers if k == 'x-list'], h['trace-bin'])
print(say(ch, req('bytes'))[:2])
data, call = ch.unary_unary('/folktest.Echo/Say').with_call(req('trailers'))
t = dict(call.trailing_metadata())
print(reply(data)[0], dict(call.initial_metadata()).get('x-head'), t.get('x-trailer'), t.get('sum-bin'), call.code().name)
it = ch.unary_stream('/folktest.Echo/Stream')(req('trailed'))
print([reply(d)[0] for d in it], dict(it.trailing_metadata()).get('x-count'), it.code().name)
print(say(ch, req('zipped ' + 'z' * 2000), compression=grpc.Compression.Gzip)[1][0][:12])
PY);
[$code, $log] = grpc_stop($srv);
var_dump($code);
?>
--EXPECT--
('OK', ('hello folk', 0))
OK ['31', '32'] ['00ff'] False False
30 folktest.Echo Say False True
yes ['a', 'b'] b'\x00\xff\x01'
('OK', ('bytes', 0))
with trailers h done b'\x01\x02' OK
['a', 'b'] 2 OK
hello zipped
int(0)
