--TEST--
msgpack and yaml in a folk request: a nested array (maps, lists, ints, floats, booleans, null, UTF-8) packs and parses back equal, and each encoding is its own format (msgpack's map byte, YAML's text)
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/pecl.php'; if ($why = pecl_unavailable('msgpack', 'yaml')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/pecl.php';
$script = <<<'PHP'
<?php
$value = ['app' => ['name' => 'shop', 'debug' => false, 'ratio' => 0.25],
    'servers' => [['host' => 'a.example', 'port' => 6379], ['host' => 'b.example', 'port' => 6380]],
    'tags' => ['fast', 'café', '東京'], 'empty' => [], 'none' => null, 'n' => -42];
$packed = msgpack_pack($value);
$yaml = yaml_emit($value);
echo json_encode([
    'msgpack' => msgpack_unpack($packed) === $value,
    'msgpack_map' => ord($packed[0]) >> 4 === 0x8, // a fixmap of 6 entries
    'yaml' => yaml_parse($yaml) === $value,
    'yaml_text' => str_starts_with($yaml, "---\napp:\n  name: shop\n"),
    'yaml_in' => yaml_parse("db:\n  host: localhost\n  ports: [5432, 5433]\n  ssl: true\n"),
]);
PHP;
$srv = pecl_classic(['codec.php' => $script]);
echo folk_http($srv[2], 'GET', '/codec.php')[2], "\n";
var_dump(folk_stop_server($srv)[0]);
?>
--EXPECT--
{"msgpack":true,"msgpack_map":true,"yaml":true,"yaml_text":true,"yaml_in":{"db":{"host":"localhost","ports":[5432,5433],"ssl":true}}}
int(0)
