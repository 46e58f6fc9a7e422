--TEST--
Worker mode: a fatal error (E_USER_ERROR, memory_limit) in a handler gives a bare 500 without PHP internals or the partial output, the worker is replaced, and requests in flight on the other worker complete
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; if (getenv('USE_ZEND_ALLOC') === '0') echo 'skip memory_limit is not enforced with USE_ZEND_ALLOC=0 (make test-asan)'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$worker = <<<'PHP'
<?php
$boot = bin2hex(random_bytes(4));
while (Folk\Worker::handleRequest(function () use ($boot) {
    header("X-Boot: $boot");
    echo "partial secret output ";
    if (isset($_GET['fatal'])) trigger_error('custom fatal', E_USER_ERROR);
    if (isset($_GET['oom'])) { ini_set('memory_limit', '16M'); $x = str_repeat('x', 64 << 20); }
    if (isset($_GET['slow'])) usleep(300000);
    echo "ok";
})) {}
PHP;
$srv = folk_worker_mode($worker, [], ['workers' => ['count' => 2]]);
$port = $srv[2];
foreach (['fatal', 'oom'] as $what) {
    // A slow request on the other worker while this one dies.
    $slow = stream_socket_client("tcp://127.0.0.1:$port");
    fwrite($slow, "GET /?slow=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    usleep(50000);
    [$s, $h, $b] = folk_http($port, 'GET', "/?$what=1");
    echo "$what: $s ", str_contains($b, 'secret') || str_contains($b, 'Fatal') ? 'leaks' : 'clean', "\n";
    $rest = stream_get_contents($slow);
    echo "slow: ", str_contains($rest, '200 OK') && str_ends_with($rest, 'ok') ? 'completed' : "broken: $rest", "\n";
}
$boots = [];
for ($i = 0; $i < 6; $i++) { [$s, $h] = folk_http($port, 'GET', '/'); $boots[$h['x-boot'][0]] = $s; }
echo count($boots) >= 1 && !array_diff($boots, [200]) ? "healthy\n" : "unhealthy\n";
[$code, $log] = folk_stop_server($srv);
var_dump($code, str_contains($log, 'custom fatal'), str_contains($log, 'Allowed memory size'));
?>
--EXPECT--
fatal: 500 clean
slow: completed
oom: 500 clean
slow: completed
healthy
int(0)
bool(true)
bool(true)
