--TEST--
Worker mode: a request over max_input_vars or post_max_size warns in the log but never reaches the application's error handler (which throws), so no client can kill a worker with it; the input is truncated as under php-fpm
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$worker = <<<'PHP'
<?php
$boot = bin2hex(random_bytes(4));
set_error_handler(function ($no, $str) { throw new ErrorException($str, 0, $no); });
while (Folk\Worker::handleRequest(function () use ($boot) {
    echo json_encode(['boot' => $boot, 'vars' => count($_POST), 'handler_alive' => set_error_handler(null) !== null]);
    set_error_handler(function ($no, $str) { throw new ErrorException($str, 0, $no); });
})) {}
PHP;
$root = folk_docroot(['worker.php' => $worker]);
$srv = folk_start_server(['worker' => "$root/worker.php", 'workers' => ['count' => 1], 'server' => ['main_worker' => false]], [], ['max_input_vars' => '10', 'post_max_size' => '1K', 'display_errors' => '0', 'log_errors' => '1']);
$port = $srv[2];
$form = ['content-type' => 'application/x-www-form-urlencoded'];
[$s, , $b] = folk_http($port, 'POST', '/', $form, http_build_query(array_fill_keys(array_map(fn ($i) => "k$i", range(1, 50)), 'v')));
$r1 = json_decode($b, true);
echo "too many vars: $s ", $r1['vars'] <= 11 ? 'truncated' : "all {$r1['vars']} kept", ' ', $r1['handler_alive'] ? 'handler kept' : 'handler lost', "\n";
[$s, , $b] = folk_http($port, 'POST', '/', $form, 'a=' . str_repeat('x', 4000));
$r2 = json_decode($b, true);
echo "too large: $s {$r2['vars']}\n";
[$s, , $b] = folk_http($port, 'POST', '/', $form, 'a=1&b=2');
$r3 = json_decode($b, true);
echo "normal: $s {$r3['vars']} ", $r3['boot'] === $r1['boot'] && $r2['boot'] === $r1['boot'] ? 'same worker' : 'worker replaced', "\n";
[$code, $log] = folk_stop_server($srv);
var_dump($code, str_contains($log, 'max_input_vars'), str_contains($log, 'POST Content-Length'));
?>
--EXPECT--
too many vars: 200 truncated handler kept
too large: 200 0
normal: 200 2 same worker
int(0)
bool(true)
bool(true)
