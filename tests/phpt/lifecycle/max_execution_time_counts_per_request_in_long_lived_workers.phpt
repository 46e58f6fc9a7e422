--TEST--
max_execution_time (-d max_execution_time=2) counts per request or job, not from the worker's boot: handleRequest(), serve() and the main-thread worker serve for 3x the limit without a 500, a request that runs past it fails with PHP's own fatal error as under php-fpm, set_time_limit() acts on its request only, and the server script is not killed when run() returns
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$busy = 'function busy(float $s) { $t = microtime(true); while (microtime(true) - $t < $s) {} }';
$handle = <<<PHP
<?php
$busy
while (Folk\Worker::handleRequest(function () {
    if (isset(\$_GET['limit'])) set_time_limit((int) \$_GET['limit']);
    busy((float) (\$_GET['busy'] ?? 0));
    echo 'ok ', ini_get('max_execution_time');
})) {}
PHP;
$serve = <<<PHP
<?php
$busy
Folk\Worker::serve(function (string \$method, array \$request) {
    parse_str(\$request['query'], \$q);
    if (isset(\$q['limit'])) set_time_limit((int) \$q['limit']);
    busy((float) (\$q['busy'] ?? 0));
    return 'ok ' . ini_get('max_execution_time');
});
PHP;

foreach (['handleRequest' => [$handle, false], 'serve' => [$serve, false], 'main-thread handleRequest' => [$handle, true]] as $name => [$code, $main]) {
    $root = folk_docroot(['worker.php' => $code]);
    $port = folk_free_port();
    $options = ['worker' => "$root/worker.php", 'workers' => ['count' => 1], 'server' => ['main_worker' => $main], 'http' => ['listen' => "127.0.0.1:$port"]];
    file_put_contents("$root/server.php", '<?php $s = new Folk\Server(' . var_export($options, true) . '); $s->run(); usleep(1000000); echo "script ran on after run()\n";');
    $log = tempnam(sys_get_temp_dir(), 'folk-log-');
    $env = array_filter(getenv(), fn ($k) => !str_starts_with($k, 'FOLK_'), ARRAY_FILTER_USE_KEY);
    $proc = proc_open([PHP_BINARY, '-d', 'extension=' . folk_extension_path(), '-d', 'max_execution_time=2', "$root/server.php"],
        [1 => ['file', $log, 'w'], 2 => ['file', $log, 'a']], $pipes, null, $env);
    folk_wait_port($port, $proc, $log);
    // 6 s of requests, two at a time (so the main-thread worker serves too), each 0.3 s of work, on workers whose limit is 2 s.
    $codes = [];
    $start = microtime(true);
    while (microtime(true) - $start < 6) {
        $pair = [];
        for ($i = 0; $i < 2; $i++) {
            $pair[$i] = stream_socket_client("tcp://127.0.0.1:$port");
            fwrite($pair[$i], "GET /?busy=0.3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        }
        foreach ($pair as $c) {
            [$s, , $b] = folk_read_response($c);
            fclose($c);
            $codes[$s === 200 && $b === 'ok 2' ? 'ok' : "$s $b"] = true;
        }
    }
    echo "$name: ", implode(',', array_keys($codes)), " for 6 s\n";
    if ($main) {
        // A fatal error retires the main-thread worker, and then run() cannot return into the script (README).
        goto stop;
    }
    [$s] = folk_http($port, 'GET', '/?busy=2.5');
    echo "$name: a request busy 2.5 s: $s\n";
    [$s, , $b] = folk_http($port, 'GET', '/?busy=2.5&limit=4');
    echo "$name: the same after set_time_limit(4): $s $b\n";
    [$s, , $b] = folk_http($port, 'GET', '/');
    echo "$name: the next request: $s $b\n";
    [$s] = folk_http($port, 'GET', '/?busy=2.5');
    echo "$name: then a request busy 2.5 s: $s\n";
    // folk re-arms the timer only when its deadline would come too early
    // (README): neither a burst of short jobs nor an idle worker shortens the limit.
    for ($i = 0; $i < 300; $i++) folk_http($port, 'GET', '/');
    [$s, , $b] = folk_http($port, 'GET', '/?busy=1.8');
    echo "$name: 300 short requests, then one busy 1.8 s: $s $b\n";
    usleep(2500000);
    [$s, , $b] = folk_http($port, 'GET', '/?busy=1.8');
    echo "$name: idle 2.5 s, then a request busy 1.8 s: $s $b\n";
    stop:
    posix_kill(proc_get_status($proc)['pid'], SIGTERM);
    while (($st = proc_get_status($proc))['running']) usleep(20000);
    $out = file_get_contents($log);
    if ($main) {
        echo "$name: exit ", $st['exitcode'], ", ", str_contains($out, 'Maximum execution time') ? "a request failed:\n$out" : 'no request failed', "\n";
    } else echo "$name: exit ", $st['exitcode'], ", ", preg_match('/Maximum execution time of 2 seconds exceeded in \S+worker\.php/', $out) ? 'PHP\'s fatal error logged' : "no fatal error logged:\n$out", "\n";
    echo "$name: ", str_contains($out, 'script ran on after run()') ? 'the script ran on after run()' : "the script did not run on:\n$out", "\n";
    @unlink($log);
    folk_rmdir($root);
}
?>
--EXPECT--
handleRequest: ok for 6 s
handleRequest: a request busy 2.5 s: 500
handleRequest: the same after set_time_limit(4): 200 ok 4
handleRequest: the next request: 200 ok 2
handleRequest: then a request busy 2.5 s: 500
handleRequest: 300 short requests, then one busy 1.8 s: 200 ok 2
handleRequest: idle 2.5 s, then a request busy 1.8 s: 200 ok 2
handleRequest: exit 0, PHP's fatal error logged
handleRequest: the script ran on after run()
serve: ok for 6 s
serve: a request busy 2.5 s: 500
serve: the same after set_time_limit(4): 200 ok 4
serve: the next request: 200 ok 2
serve: then a request busy 2.5 s: 500
serve: 300 short requests, then one busy 1.8 s: 200 ok 2
serve: idle 2.5 s, then a request busy 1.8 s: 200 ok 2
serve: exit 0, PHP's fatal error logged
serve: the script ran on after run()
main-thread handleRequest: ok for 6 s
main-thread handleRequest: exit 0, no request failed
main-thread handleRequest: the script ran on after run()
