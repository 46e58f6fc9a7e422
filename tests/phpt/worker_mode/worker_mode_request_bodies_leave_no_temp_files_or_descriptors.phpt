--TEST--
Worker mode: request bodies larger than PHP's 16 KiB memory limit for php://input, read many times over, leave no temp streams or descriptors behind in the long-lived worker
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$worker = <<<'PHP'
<?php
while (Folk\Worker::handleRequest(function () {
    $len = strlen(file_get_contents('php://input'));
    $again = strlen(file_get_contents('php://input'));
    echo json_encode([$len, $again, count(scandir('/proc/self/fd'))]);
})) {}
PHP;
$srv = folk_worker_mode($worker);
$port = $srv[2];
$body = str_repeat('z', 200 << 10);
$fds = [];
for ($i = 0; $i < 40; $i++) {
    [$s, , $b] = folk_http($port, 'PUT', '/', ['content-type' => 'application/octet-stream'], $body);
    [$len, $again, $fd] = json_decode($b, true);
    if ($len !== strlen($body) || $again !== strlen($body)) echo "request $i read $len/$again bytes\n";
    $fds[] = $fd;
}
echo "descriptors: ", max(array_slice($fds, 5)) - min(array_slice($fds, 5)) <= 2 ? 'steady' : 'growing ' . json_encode($fds), "\n";
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
descriptors: steady
int(0)
