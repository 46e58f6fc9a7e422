--TEST--
Xdebug, built but not enabled, loads into a folk server with -d zend_extension=xdebug -d xdebug.mode=develop and reports that mode from a request (xdebug_info('mode')), with its develop helpers working there; a server without the flag has no Xdebug
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/pecl.php'; if ($why = pecl_unavailable('xdebug')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/pecl.php';
$files = ['x.php' => '<?php
function inner() { return xdebug_call_function() . " -> " . __FUNCTION__ . " at depth " . xdebug_get_stack_depth(); }
function outer() { return inner(); }
echo json_encode(extension_loaded("xdebug") ? ["mode" => xdebug_info("mode"), "stack" => outer()] : ["xdebug" => false]);'];
$srv = pecl_classic($files, ['zend_extension' => 'xdebug', 'xdebug.mode' => 'develop']);
echo folk_http($srv[2], 'GET', '/x.php')[2], "\n";
var_dump(folk_stop_server($srv)[0]);
$plain = pecl_classic($files);
echo folk_http($plain[2], 'GET', '/x.php')[2], "\n";
var_dump(folk_stop_server($plain)[0]);
?>
--EXPECT--
{"mode":["develop"],"stack":"outer -> inner at depth 3"}
int(0)
{"xdebug":false}
int(0)
