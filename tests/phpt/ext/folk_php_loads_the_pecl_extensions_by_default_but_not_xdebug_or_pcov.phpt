--TEST--
php -m of folk's PHP lists igbinary, msgpack, apcu, redis, memcached, imagick and yaml (each enabled by its own conf.d ini, the serializers' before the clients built with them) and neither Xdebug nor pcov, which are built and load with their one flag
--SKIPIF--
<?php
require __DIR__ . '/../../fixtures/pecl.php';
if ($why = pecl_unavailable('igbinary', 'msgpack', 'apcu', 'redis', 'memcached', 'imagick', 'yaml', 'xdebug', 'pcov')) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/pecl.php';
$php = escapeshellarg(PHP_BINARY);
exec("$php -m 2>&1", $lines, $status);
var_dump($status);
$modules = array_map('strtolower', $lines);
foreach (['igbinary', 'msgpack', 'apcu', 'redis', 'memcached', 'imagick', 'yaml', 'xdebug', 'pcov'] as $name) {
    echo $name, ': ', in_array($name, $modules, true) ? 'loaded' : 'not loaded', "\n";
}
// Nothing on the side: no startup warning of a broken or missing .so.
var_dump(preg_grep('/warning|unable|error/i', $lines));
$inis = array_map('basename', glob(pecl_prefix() . '/etc/conf.d/*.ini'));
$order = array_flip($inis);
var_dump($order['20-igbinary.ini'] < $order['25-redis.ini'] && $order['20-msgpack.ini'] < $order['25-memcached.ini']);
echo implode(' ', $inis), "\n";
// The one line that loads each of the other two.
echo shell_exec("$php -d zend_extension=xdebug -d xdebug.mode=develop -r 'echo implode(\",\", xdebug_info(\"mode\"));' 2>&1"), "\n";
echo shell_exec("$php -d extension=pcov -d pcov.enabled=1 -r 'echo ini_get(\"pcov.enabled\"), \" \", function_exists(\"pcov\\\\collect\") ? \"collects\" : \"no\";' 2>&1"), "\n";
?>
--EXPECT--
int(0)
igbinary: loaded
msgpack: loaded
apcu: loaded
redis: loaded
memcached: loaded
imagick: loaded
yaml: loaded
xdebug: not loaded
pcov: not loaded
array(0) {
}
bool(true)
20-apcu.ini 20-igbinary.ini 20-imagick.ini 20-msgpack.ini 20-yaml.ini 25-memcached.ini 25-redis.ini
develop
1 collects
