--TEST--
Worker mode: a client that leaves mid-stream makes connection_aborted() 1 and drops later output, but the handler runs to its end (as with ignore_user_abort: stopping it would leave the booted application half-way) and the worker serves on
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
require __DIR__ . '/../../fixtures/stream_client.php';
$marker = sys_get_temp_dir() . '/folk-abort-' . getmypid();
@unlink($marker);
$worker = <<<PHP
<?php
\$boot = bin2hex(random_bytes(4));
while (Folk\Worker::handleRequest(function () use (\$boot) {
    if (!isset(\$_GET['stream'])) { echo \$boot; return; }
    while (ob_get_level()) ob_end_flush();
    echo "\$boot\\n"; flush();
    for (\$i = 0; \$i < 40; \$i++) { echo str_repeat('x', 1024), "\\n"; flush(); usleep(20000); }
    file_put_contents('$marker', json_encode([\$i, connection_aborted()]));
})) {}
PHP;
$srv = folk_worker_mode($worker);
[$c, $status] = folk_stream_open($srv[2], '/?stream=1');
$boot = trim(folk_stream_chunk($c));
fclose($c);
$deadline = microtime(true) + 5;
while (!file_exists($marker) && microtime(true) < $deadline) usleep(20000);
echo "$status ", @file_get_contents($marker) ?: 'handler did not finish', "\n";
[$s, , $b] = folk_http($srv[2], 'GET', '/');
echo "$s ", $b === $boot ? 'same worker' : 'worker replaced', "\n";
@unlink($marker);
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
200 [40,1]
200 same worker
int(0)
