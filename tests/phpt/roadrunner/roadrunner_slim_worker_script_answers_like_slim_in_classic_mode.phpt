--TEST--
A RoadRunner worker script for Slim 3 (Spiral\RoadRunner\Http\PSR7Worker loop, http.roadrunner_compat) gives the same status, headers and body on every route as the same app run per request by folk classic mode (Slim's own run()), and boots once
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('slim')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
$w = fw_start('slim', true, ['worker' => fw_app_dir('slim') . '/roadrunner.php', 'http' => ['roadrunner_compat' => true]]);
$c = fw_start('slim', false);
fw_compare_walks(fw_walk($w), fw_walk($c));
echo "boots: worker mode ", fw_boots($w), ", classic mode ", fw_boots($c), "\n";
[, , $b] = fw_request($w, 'GET', '/boot');
echo 'served by that boot: ', json_decode($b, true)['served'] ?? 'none', "\n";
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
served by that boot: 10
