--TEST--
phpinfo() shows the folk section with version, ZTS and tokio version
--FILE--
<?php
ob_start();
phpinfo(INFO_MODULES);
$info = ob_get_clean();
$start = strpos($info, "\nfolk\n");
var_dump($start !== false);
$section = substr($info, $start, 400);
var_dump(str_contains($section, 'folk version => ' . folk_version()));
var_dump(str_contains($section, 'ZTS => yes'));
var_dump((bool) preg_match('/tokio version => 1\.\d+\.\d+/', $section));
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
