--TEST--
Folk\Psr7\Worker built on guzzlehttp/psr7's HttpFactory serves the Slim app (form, JSON body, UploadedFileInterface upload) exactly as on nyholm/psr7
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('slim')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
$n = fw_start("slim");
$g = fw_start("slim", true, [], ["APP_PSR17" => "guzzle"]);
fw_compare_walks(fw_walk($g), fw_walk($n));
$boot = json_decode(fw_request($g, "GET", "/boot")[2], true);
echo "guzzle boots: ", fw_boots($g), ", served ", $boot["served"], "\n";
fw_stop($n);
fw_stop($g);
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
guzzle boots: 1, served 10
