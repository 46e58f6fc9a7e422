--TEST--
http.direct keeps the rules of hyper's path: a fatal error is a 500 and the next request is served, exec_timeout answers 504 on time, flush() streams chunks before the script ends, a request whose client left before a worker took it never runs (counted abandoned), and SIGTERM answers every request that arrived
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$ran = tempnam(sys_get_temp_dir(), 'folk-ran-');
$metrics = folk_free_port();
$srv = folk_classic([
    'index.php' => '<?php echo "ok";',
    'fatal.php' => '<?php no_such_function();',
    'sleep.php' => '<?php sleep(30);',
    'slow.php' => '<?php file_put_contents(' . var_export($ran, true) . ', "x", FILE_APPEND); usleep(300000); echo "slow";',
    'stream.php' => '<?php while (ob_get_level()) ob_end_flush(); echo "first"; flush(); usleep(400000); echo "second";',
], ['workers' => ['count' => 1, 'exec_timeout' => '500ms'], 'http' => ['direct' => true], 'metrics' => ['listen' => "127.0.0.1:$metrics"]]);
$port = $srv[2];
$counter = function (string $name) use ($metrics): int {
    [, , $page] = folk_http($metrics, 'GET', '/metrics');
    return preg_match('/^' . preg_quote($name) . ' (\d+)$/m', $page, $m) ? (int) $m[1] : -1;
};
$direct0 = $counter('folk_http_direct_requests_total');

[$s] = folk_http($port, 'GET', '/fatal.php');
[$s2, , $b2] = folk_http($port, 'GET', '/');
echo "fatal error: $s, then $s2 $b2\n";

$t = microtime(true);
[$s] = folk_http($port, 'GET', '/sleep.php');
echo "exec_timeout: $s ", microtime(true) - $t < 1.5 ? 'on time' : 'late', ', then ', folk_http($port, 'GET', '/')[0], "\n";

// flush(): the first chunk arrives while the script still sleeps.
$c = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 5);
$t = microtime(true);
fwrite($c, "GET /stream.php HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n");
$head = '';
while (!str_contains($head, "first")) $head .= fread($c, 8192);
$first = microtime(true) - $t;
$rest = stream_get_contents($c);
fclose($c);
echo 'flush: first chunk ', $first < 0.3 ? 'before the script ended' : sprintf('only after %.0f ms', $first * 1000),
    ', chunked: ', str_contains($head, "transfer-encoding: chunked") ? 'yes' : 'no',
    ', whole body: ', preg_replace('/\s+/', ' ', trim(preg_replace('/^.*?\r\n\r\n/s', '', $head . $rest))), "\n";

// The one worker is busy; five clients send a request and leave at once.
$abandoned0 = $counter('folk_jobs_total{outcome="abandoned"}');
$busy = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 5);
fwrite($busy, "GET /slow.php HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n");
usleep(50000);
for ($i = 0; $i < 5; $i++) {
    $c = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 5);
    fwrite($c, "GET /slow.php HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
    fclose($c);
}
echo 'the busy one: ', str_ends_with(stream_get_contents($busy), 'slow') ? 'answered' : 'not answered', "\n";
fclose($busy);
echo 'next: ', folk_http($port, 'GET', '/')[0], "\n";
clearstatcache();
echo 'ran: ', filesize($ran), ' (of 6), abandoned: ', $counter('folk_jobs_total{outcome="abandoned"}') - $abandoned0, "\n";
echo 'served on the worker: ', $counter('folk_http_direct_requests_total') - $direct0 >= 10 ? 'yes' : 'no', "\n";

// SIGTERM while three requests wait for the one worker: all three are answered.
$clients = [];
for ($i = 0; $i < 3; $i++) {
    $c = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 5);
    fwrite($c, "GET /slow.php HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
    $clients[] = $c;
}
usleep(100000);
posix_kill(proc_get_status($srv[0])['pid'], SIGTERM);
$answered = 0;
foreach ($clients as $c) {
    stream_set_timeout($c, 5);
    [$s, , $b] = folk_read_response($c);
    $answered += $s === 200 && $b === 'slow';
}
echo "SIGTERM: $answered of 3 answered\n";
[$code] = folk_stop_server($srv);
echo "exit $code\n";
unlink($ran);
?>
--EXPECT--
fatal error: 500, then 200 ok
exec_timeout: 504 on time, then 200
flush: first chunk before the script ended, chunked: yes, whole body: 5 first 6 second 0
the busy one: answered
next: 200
ran: 1 (of 6), abandoned: 5
served on the worker: yes
SIGTERM: 3 of 3 answered
exit 0
