--TEST--
Laravel in worker mode (php/frameworks/laravel.php) gives the same status, headers and body on every route as its unchanged public/index.php run per request by folk classic mode
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('laravel')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
$w = fw_start("laravel");
$c = fw_start("laravel", false);
fw_compare_walks(fw_walk($w), fw_walk($c));
echo "boots: worker mode ", fw_boots($w), ", classic mode ", fw_boots($c), "\n";
fw_stop($w);
fw_stop($c);
?>
--EXPECT--
same: hello
same: template
same: form page
same: form post with the token
same: form page after the post
same: form post with a wrong token
same: json list
same: json echo
same: upload
boots: worker mode 1, classic mode 9
