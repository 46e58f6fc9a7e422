--TEST--
php-memcached in folk's request threads talks to Debian's memcached: set/get, increment, getMulti, a missing key reports RES_NOTFOUND, the igbinary and msgpack serializers round-trip a nested value, and the second of two servers sharing it reads what the first wrote
--SKIPIF--
<?php
require __DIR__ . '/../../fixtures/pecl.php';
if ($why = pecl_unavailable('memcached') ?? memcached_unavailable()) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/pecl.php';
$mc = memcached_start();
$script = <<<'PHP'
<?php
$m = new Memcached();
$m->addServer('127.0.0.1', (int) $_GET['port']);
$out = [];
if ($_GET['do'] === 'write') {
    $out['set'] = $m->set('folk:greeting', 'hello from a folk request', 60);
    $out['get'] = $m->get('folk:greeting');
    $m->set('folk:n', 1);
    $out['incr'] = $m->increment('folk:n', 41);
    $m->setMulti(['folk:a' => 'A', 'folk:b' => ['list' => [1, 2]]]);
    $out['multi'] = $m->getMulti(['folk:a', 'folk:b', 'folk:missing']);
    $out['missing'] = [$m->get('folk:missing'), $m->getResultCode() === Memcached::RES_NOTFOUND];
    $value = ['user' => ['id' => 7, 'roles' => ['admin']], 'ratio' => 0.5, 'none' => null];
    foreach (['igbinary' => Memcached::SERIALIZER_IGBINARY, 'msgpack' => Memcached::SERIALIZER_MSGPACK] as $name => $s) {
        $out[$name] = [$m->setOption(Memcached::OPT_SERIALIZER, $s), $m->set("folk:$name", $value), $m->get("folk:$name") === $value];
    }
} else {
    $out['read'] = [$m->get('folk:greeting'), $m->get('folk:n')];
}
echo json_encode($out);
PHP;
$one = pecl_classic(['m.php' => $script]);
$two = pecl_classic(['m.php' => $script]);
echo folk_http($one[2], 'GET', "/m.php?port={$mc['port']}&do=write")[2], "\n";
echo folk_http($two[2], 'GET', "/m.php?port={$mc['port']}&do=read")[2], "\n";
var_dump(folk_stop_server($one)[0], folk_stop_server($two)[0]);
memcached_stop($mc);
?>
--EXPECT--
{"set":true,"get":"hello from a folk request","incr":42,"multi":{"folk:a":"A","folk:b":{"list":[1,2]}},"missing":[false,true],"igbinary":[true,true,true],"msgpack":[true,true,true]}
{"read":["hello from a folk request",42]}
int(0)
int(0)
