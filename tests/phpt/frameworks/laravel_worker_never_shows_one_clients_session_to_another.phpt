--TEST--
Laravel in worker mode on one worker thread: two clients alternate, each sees only its own session value, CSRF token and cookies (the sandbox forgets the session, cookie jar and auth per request)
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('laravel')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
$a = fw_start("laravel");
$b = $a;
$b["jar"] = [];
$seen = [];
foreach ([["a", "Alice"], ["b", "Bob"], ["a", null], ["b", null], ["a", "Ann"], ["b", null], ["a", null]] as [$who, $name]) {
    $h = &${$who};
    $page = fw_request($h, "GET", "/form");
    $token = fw_token($page[2]);
    $seen[$who][] = $token;
    preg_match("/last: (\w+)/", $page[2], $m);
    echo "$who sees: ", $m[1] ?? "nothing", "\n";
    if ($name) {
        $r = fw_request($h, "POST", "/form", ["content-type" => "application/x-www-form-urlencoded"], http_build_query(["_token" => $token, "name" => $name]));
        echo "$who saves $name: $r[0]\n";
    }
    unset($h);
}
echo "tokens: a ", count(array_unique($seen["a"])), ", b ", count(array_unique($seen["b"])), ", shared ", count(array_intersect($seen["a"], $seen["b"])), "\n";
echo "boots: ", fw_boots($a), "\n";
fw_stop($a);
?>
--EXPECT--
a sees: nothing
a saves Alice: 200
b sees: nothing
b saves Bob: 200
a sees: Alice
b sees: Bob
a sees: Alice
a saves Ann: 200
b sees: Bob
a sees: Ann
tokens: a 1, b 1, shared 0
boots: 1
