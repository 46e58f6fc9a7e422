--TEST--
Slim 3 on Folk\Psr7\Worker (nyholm/psr7 factories) serves hello, a Twig page, a session form with CSRF, JSON and an upload from one boot
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('slim')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
$h = fw_start("slim");
fw_print_walk(fw_walk($h));
for ($i = 0; $i < 20; $i++) fw_request($h, "GET", "/hello");
$boot = json_decode(fw_request($h, "GET", "/boot")[2], true);
echo "boots: ", fw_boots($h), ", requests served by that boot: ", $boot["served"], "\n";
fw_stop($h);
?>
--EXPECT--
hello: 200 text/plain Hello, folk!
template: 200 text/html escaped name, 3 items
form page: 200 text/html token present
form post with the token: 200 application/json {"saved":"Grace"}
form page after the post: 200 text/html saved name shown
form post with a wrong token: 403 application/json {"error":"invalid CSRF token"}
json list: 200 application/json {"items":[{"id":1,"name":"alpha"},{"id":2,"name":"beta"}],"page":2}
json echo: 201 application/json {"method":"POST","received":{"a":[1,2],"b":"\u00fc"},"type":"application\/json"}
upload: 200 application/json notes.txt 6500 sha1 ok title=report
boots: 1, requests served by that boot: 30
