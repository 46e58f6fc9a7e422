--TEST--
session.save_handler=redis: a session written by a request on one folk server is read back, through its cookie, by a request on a second folk server sharing the Redis (and a request without the cookie sees none of it)
--SKIPIF--
<?php
require __DIR__ . '/../../fixtures/pecl.php';
require __DIR__ . '/../../fixtures/redis_server.php';
if ($why = pecl_unavailable('redis') ?? redis_unavailable()) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/pecl.php';
require __DIR__ . '/../../fixtures/redis_server.php';
$redis = redis_start();
$files = [
    'login.php' => '<?php session_start(); $_SESSION["user"] = $_GET["user"]; $_SESSION["cart"] = [["sku" => "A-1", "qty" => 2]]; echo session_id();',
    'whoami.php' => '<?php session_start(); echo json_encode(["handler" => ini_get("session.save_handler"), "user" => $_SESSION["user"] ?? null, "cart" => $_SESSION["cart"] ?? null]);',
];
$ini = ['session.save_handler' => 'redis', 'session.save_path' => "tcp://127.0.0.1:{$redis['port']}", 'session.use_strict_mode' => '1'];
$one = pecl_classic($files, $ini);
$two = pecl_classic($files, $ini);
[$status, $h, $id] = folk_http($one[2], 'GET', '/login.php?user=alice');
preg_match('/PHPSESSID=([^;]+)/', $h['set-cookie'][0] ?? '', $m);
var_dump($status, ($m[1] ?? '') === $id);
// Redis holds it under phpredis's key prefix.
var_dump(str_contains(redis_cli($redis['port'], 'GET', "PHPREDIS_SESSION:$id"), 'alice'));
echo folk_http($two[2], 'GET', '/whoami.php', ['cookie' => "PHPSESSID=$id"])[2], "\n";
echo folk_http($two[2], 'GET', '/whoami.php')[2], "\n";
var_dump(folk_stop_server($one)[0], folk_stop_server($two)[0]);
redis_stop($redis);
?>
--EXPECT--
int(200)
bool(true)
bool(true)
{"handler":"redis","user":"alice","cart":[{"sku":"A-1","qty":2}]}
{"handler":"redis","user":null,"cart":null}
int(0)
int(0)
