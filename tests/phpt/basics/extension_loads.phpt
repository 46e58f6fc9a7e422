--TEST--
The folk extension loads into a ZTS PHP
--FILE--
<?php
var_dump(extension_loaded('folk'));
var_dump(PHP_ZTS);
var_dump(function_exists('folk_version'));
?>
--EXPECT--
bool(true)
int(1)
bool(true)
