--TEST--
Classic mode: each request runs the script fresh on the same worker: statics restart, $_SERVER writes and globals are gone, relative includes work
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic([
    'count.php' => '<?php function n() { static $n = 0; return ++$n; } include "lib/inc.php";'
        . ' echo n(), " ", $_SERVER["MINE"] ?? "unset", " ", isset($GLOBALS["kept"]) ? "kept" : "fresh", " ", inc(), " ", basename(getcwd());'
        . ' $_SERVER["MINE"] = 1; $GLOBALS["kept"] = 1;',
    'lib/inc.php' => '<?php function inc() { return "included"; }',
]);
for ($i = 0; $i < 3; $i++) echo folk_http($srv[2], 'GET', '/count.php')[2], "\n";
folk_stop_server($srv);
?>
--EXPECT--
1 unset fresh included public
1 unset fresh included public
1 unset fresh included public
