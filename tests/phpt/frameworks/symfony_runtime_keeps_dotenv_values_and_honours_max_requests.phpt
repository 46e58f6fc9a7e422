--TEST--
Folk\Runtime\SymfonyRuntime: every request sees the values Dotenv loaded from .env at boot in $_SERVER (not the previous request's), and APP_MAX_REQUESTS=5 ends the worker loop after 5 requests so folk boots a fresh one
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('symfony')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
$h = fw_start("symfony", true, [], ["APP_MAX_REQUESTS" => "5"]);
foreach (["/env?a", "/env?b"] as $u) echo fw_request($h, "GET", $u)[2], "\n";
$boots = [];
for ($i = 0; $i < 12; $i++) $boots[json_decode(fw_request($h, "GET", "/boot")[2], true)["boot"]][] = $i;
echo "boot ids over 12 requests: ", implode(" ", array_map("count", $boots)), "; boot log: ", fw_boots($h), "\n";
fw_stop($h);
?>
--EXPECT--
{"APP_ENV":"prod","APP_GREETING":"Hello","uri":"\/env?a"}
{"APP_ENV":"prod","APP_GREETING":"Hello","uri":"\/env?b"}
boot ids over 12 requests: 3 5 4; boot log: 3
