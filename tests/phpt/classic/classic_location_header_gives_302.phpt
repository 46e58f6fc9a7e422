--TEST--
Classic mode: a Location header gives 302 (also after a POST, as php-fpm), an explicit code wins, 201 is kept
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic([
    'go.php' => '<?php header("Location: /there");',
    'perm.php' => '<?php header("Location: /there", true, 301);',
    'created.php' => '<?php http_response_code(201); header("Location: /new");',
]);
foreach ([['GET', '/go.php'], ['POST', '/go.php'], ['GET', '/perm.php'], ['GET', '/created.php']] as [$m, $p]) {
    [$s, $h] = folk_http($srv[2], $m, $p);
    echo "$m $p: $s ", $h['location'][0], "\n";
}
folk_stop_server($srv);
?>
--EXPECT--
GET /go.php: 302 /there
POST /go.php: 302 /there
GET /perm.php: 301 /there
GET /created.php: 201 /new
