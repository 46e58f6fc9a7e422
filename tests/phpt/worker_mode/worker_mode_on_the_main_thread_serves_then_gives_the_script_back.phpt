--TEST--
Worker mode with the main-thread worker on (the default): the main php-cli thread serves requests with handleRequest() next to the thread workers, and after a clean stop run() returns into the script with php-cli's INI values back
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$worker = <<<'PHP'
<?php
$id = bin2hex(random_bytes(3));
while (Folk\Worker::handleRequest(function () use ($id) { usleep(100000); echo $id; })) {}
PHP;
$root = folk_docroot(['worker.php' => $worker]);
$port = folk_free_port();
$script = "$root/server.php";
file_put_contents($script, '<?php $s = new Folk\Server(' . var_export(['worker' => "$root/worker.php", 'workers' => ['count' => 1], 'http' => ['listen' => "127.0.0.1:$port"]], true) . ');
$s->run();
echo "run returned: html_errors=", var_export(ini_get("html_errors"), true), " output_buffering=", var_export(ini_get("output_buffering"), true), " register_argc_argv=", var_export(ini_get("register_argc_argv"), true), "\n";');
$log = tempnam(sys_get_temp_dir(), 'folk-log-');
$env = array_filter(getenv(), fn ($k) => !str_starts_with($k, 'FOLK_'), ARRAY_FILTER_USE_KEY);
$proc = proc_open([PHP_BINARY, '-d', 'extension=' . folk_extension_path(), $script], [1 => ['file', $log, 'w'], 2 => ['file', $log, 'a']], $pipes, null, $env);
folk_wait_port($port, $proc, $log);
$ids = [];
for ($round = 0; $round < 3; $round++) {
    $conns = [];
    for ($i = 0; $i < 4; $i++) { $c = stream_socket_client("tcp://127.0.0.1:$port"); fwrite($c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); $conns[] = $c; }
    foreach ($conns as $c) { [$s, , $b] = folk_read_response($c); $ids[$b] = $s; fclose($c); }
}
echo count($ids), " workers answered, all ", implode(',', array_unique($ids)), "\n";
posix_kill(proc_get_status($proc)['pid'], SIGTERM);
while (($st = proc_get_status($proc))['running']) usleep(20000);
echo "exit ", $st['exitcode'], "\n";
$out = file_get_contents($log);
preg_match('/run returned: .*/', $out, $m);
echo $m[0] ?? "run() did not return:\n$out", "\n";
@unlink($log);
?>
--EXPECT--
2 workers answered, all 200
exit 0
run returned: html_errors='0' output_buffering='0' register_argc_argv='1'
