--TEST--
Worker mode: exit() in a request handler sends the status, headers and output so far, then the worker is replaced (a new boot) and the next request works
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
    if (isset($_GET['exit'])) { http_response_code(202); header('X-Before-Exit: yes'); echo "said this, "; exit(3); }
    echo "fine";
})) {}
PHP;
$srv = folk_worker_mode($worker);
$port = $srv[2];
[$s, $h, $b] = folk_http($port, 'GET', '/');
$first = $h['x-boot'][0];
[$s, $h, $b] = folk_http($port, 'GET', '/?exit=1');
var_dump($s, $h['x-before-exit'][0] ?? null, $b, $h['x-boot'][0] === $first);
[$s, $h, $b] = folk_http($port, 'GET', '/');
var_dump($s, $b, $h['x-boot'][0] !== $first);
[$code, $log] = folk_stop_server($srv);
var_dump($code, str_contains($log, 'exit() was called in a request handler (status 3)') || str_contains($log, 'reason="exit'));
?>
--EXPECT--
int(202)
string(3) "yes"
string(11) "said this, "
bool(true)
int(200)
string(4) "fine"
bool(true)
int(0)
bool(true)
