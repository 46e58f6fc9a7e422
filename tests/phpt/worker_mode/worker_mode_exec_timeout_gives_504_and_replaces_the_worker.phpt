--TEST--
Worker mode: a handler stuck past exec_timeout gets 504 even when the application catches the TimeoutException, the worker is replaced, and the next request works
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
    if (isset($_GET['loop'])) { while (true) { usleep(1000); } }
    if (isset($_GET['caught'])) {
        try { while (true) { usleep(1000); } } catch (Throwable $e) { http_response_code(500); echo "framework error page"; return; }
    }
    echo "ok";
})) {}
PHP;
$srv = folk_worker_mode($worker, [], ['workers' => ['exec_timeout' => '500ms']]);
$port = $srv[2];
[, $h] = folk_http($port, 'GET', '/');
$boot = $h['x-boot'][0];
foreach (['loop', 'caught'] as $what) {
    $t = microtime(true);
    [$s, , $b] = folk_http($port, 'GET', "/?$what=1");
    $took = microtime(true) - $t;
    echo "$what: $s ", $took < 3 ? 'on time' : sprintf('late (%.1f s)', $took), "\n";
    [$s, $h, $b] = folk_http($port, 'GET', '/');
    echo "next: $s $b ", $h['x-boot'][0] !== $boot ? 'new worker' : 'same worker', "\n";
    $boot = $h['x-boot'][0];
}
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
loop: 504 on time
next: 200 ok new worker
caught: 504 on time
next: 200 ok new worker
int(0)
