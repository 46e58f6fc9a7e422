--TEST--
Worker mode: an exception that escapes the handler gives a bare 500, is logged with its class, message and place, and the worker (its boot state intact) serves the next request
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$worker = <<<'PHP'
<?php
$boot = bin2hex(random_bytes(4));
while (Folk\Worker::handleRequest(function () use ($boot) {
    header("X-Boot: $boot");
    echo "before ";
    if (isset($_GET['throw'])) throw new DomainException('no such order');
    echo "ok";
})) {}
PHP;
$srv = folk_worker_mode($worker);
$port = $srv[2];
[, $h] = folk_http($port, 'GET', '/');
$boot = $h['x-boot'][0];
[$s, $h, $b] = folk_http($port, 'GET', '/?throw=1');
var_dump($s, str_contains($b, 'before') || str_contains($b, 'order'));
[$s, $h, $b] = folk_http($port, 'GET', '/');
var_dump($s, $b, $h['x-boot'][0] === $boot);
[$code, $log] = folk_stop_server($srv);
var_dump($code, (bool) preg_match('/DomainException: no such order in .*worker\.php:6/', $log));
?>
--EXPECT--
int(500)
bool(false)
int(200)
string(9) "before ok"
bool(true)
int(0)
bool(true)
