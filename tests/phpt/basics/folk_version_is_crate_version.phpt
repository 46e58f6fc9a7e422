--TEST--
folk_version() returns the crate version from Cargo.toml
--FILE--
<?php
$toml = file_get_contents(__DIR__ . '/../../../Cargo.toml');
preg_match('/^version\s*=\s*"([^"]+)"/m', $toml, $m);
var_dump($m[1] === folk_version());
var_dump(phpversion('folk') === folk_version());
echo folk_version(), "\n";
?>
--EXPECTF--
bool(true)
bool(true)
%d.%d.%d%S
