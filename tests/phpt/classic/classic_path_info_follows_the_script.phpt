--TEST--
Classic mode: /index.php/extra/path runs index.php with PATH_INFO and PHP_SELF set, DOCUMENT_URI the script's, and no PATH_TRANSLATED (as php-fpm behind Debian's nginx)
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic(['index.php' => '<?php echo $_SERVER["SCRIPT_NAME"], "|", $_SERVER["PATH_INFO"], "|", $_SERVER["PHP_SELF"], "|", $_SERVER["DOCUMENT_URI"], "|", var_export(($_SERVER["PATH_TRANSLATED"] ?? "") === $_SERVER["DOCUMENT_ROOT"] . "/extra/path", true);']);
// (Only "folk sets none" is checked: $_SERVER also holds the process environment, where run-tests.php puts a PATH_TRANSLATED.)
echo folk_http($srv[2], 'GET', '/index.php/extra/path?q=1')[2], "\n";
folk_stop_server($srv);
?>
--EXPECT--
/index.php|/extra/path|/index.php/extra/path|/index.php|false
