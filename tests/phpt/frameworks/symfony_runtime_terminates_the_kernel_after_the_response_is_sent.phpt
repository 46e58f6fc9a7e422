--TEST--
Folk\Runtime\SymfonyRuntime calls the kernel's terminate() after every request, once the client has its response (Response::send() finishes the request first): a terminate() that lingers 800 ms does not hold the answer back
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('symfony')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
$h = fw_start("symfony");
fw_request($h, "GET", "/hello");
$t = microtime(true);
[$st, , $b] = fw_request($h, "GET", "/hello?linger=800");
$answered = microtime(true) - $t;
echo "$st $b\n", $answered < 0.6 ? "answered before terminate() ended\n" : sprintf("HELD BACK %.2fs\n", $answered);
usleep(1200000);
fw_request($h, "GET", "/api/items");
usleep(200000);
$log = file_exists("$h[tmp]/boots.terminated") ? file("$h[tmp]/boots.terminated", FILE_IGNORE_NEW_LINES) : [];
echo "terminated: ", implode(" ", $log), "\n";
fw_stop($h);
?>
--EXPECT--
200 Hello, folk!
answered before terminate() ended
terminated: /hello /hello /api/items
