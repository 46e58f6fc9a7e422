--TEST--
phpredis in folk's request threads talks to a real redis-server: strings, counters, a pipeline, the igbinary and msgpack serializers round-trip a nested value (stored as their own bytes, not PHP's), lz4 and zstd compression round-trip, two requests at once on a server of two worker threads
--SKIPIF--
<?php
require __DIR__ . '/../../fixtures/pecl.php';
require __DIR__ . '/../../fixtures/redis_server.php';
if ($why = pecl_unavailable('redis', 'igbinary', 'msgpack') ?? redis_unavailable()) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/pecl.php';
require __DIR__ . '/../../fixtures/redis_server.php';
$redis = redis_start();
$script = <<<'PHP'
<?php
$r = new Redis();
$r->connect('127.0.0.1', (int) $_GET['port']);
$k = 'folk:' . $_GET['who'] . ':';
$out = [];
$r->set($k . 'greeting', 'hello from a folk request');
$out['get'] = $r->get($k . 'greeting');
$out['incr'] = [$r->incr($k . 'n'), $r->incrBy($k . 'n', 41)];
$out['pipeline'] = $r->pipeline()->set($k . 'a', '1')->incr($k . 'a')->get($k . 'a')->del($k . 'a')->exec();
$value = ['user' => ['id' => 7, 'roles' => ['admin', 'dev']], 'ratio' => 0.5, 'ok' => true, 'none' => null];
foreach (['igbinary' => Redis::SERIALIZER_IGBINARY, 'msgpack' => Redis::SERIALIZER_MSGPACK] as $name => $s) {
    $r->setOption(Redis::OPT_SERIALIZER, $s);
    $r->set($k . $name, $value);
    $back = $r->get($k . $name);
    $r->setOption(Redis::OPT_SERIALIZER, Redis::SERIALIZER_NONE);
    $raw = $r->get($k . $name);
    $own = $name === 'igbinary' ? igbinary_unserialize($raw) : msgpack_unpack($raw);
    $out[$name] = [$back === $value, $own === $value, @unserialize($raw) === false];
}
foreach (['lz4' => Redis::COMPRESSION_LZ4, 'zstd' => Redis::COMPRESSION_ZSTD] as $name => $c) {
    $big = str_repeat('folk compresses ', 1000);
    $r->setOption(Redis::OPT_COMPRESSION, $c);
    $r->set($k . $name, $big);
    $back = $r->get($k . $name);
    $r->setOption(Redis::OPT_COMPRESSION, Redis::COMPRESSION_NONE);
    $out[$name] = [$back === $big, strlen($r->get($k . $name)) < strlen($big) / 10];
}
echo json_encode($out);
PHP;
$srv = pecl_classic(['r.php' => $script], [], ['workers' => ['count' => 2]]);
$answers = pecl_get_concurrently($srv[2], ["/r.php?port={$redis['port']}&who=a", "/r.php?port={$redis['port']}&who=b"]);
foreach ($answers as $a) echo $a, "\n";
echo trim(redis_cli($redis['port'], 'GET', 'folk:a:greeting')), "\n";
[$code, $log] = folk_stop_server($srv);
var_dump($code);
redis_stop($redis);
?>
--EXPECT--
200 {"get":"hello from a folk request","incr":[1,42],"pipeline":[true,2,"2",1],"igbinary":[true,true,true],"msgpack":[true,true,true],"lz4":[true,true],"zstd":[true,true]}
200 {"get":"hello from a folk request","incr":[1,42],"pipeline":[true,2,"2",1],"igbinary":[true,true,true],"msgpack":[true,true,true],"lz4":[true,true],"zstd":[true,true]}
hello from a folk request
int(0)
