--TEST--
Abandoned requests, worker mode (Folk\Worker::serve): 100 clients queue GET /slow (200 ms) and leave; the queued ones are dropped unrun (counted as abandoned), those already running have their answers dropped, and a GET / sent right after is answered in under 300 ms on 3 PHP threads
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$metrics = folk_free_port();
$srv = folk_start_server(['workers' => ['count' => 3], 'server' => ['main_worker' => false], 'metrics' => ['listen' => "127.0.0.1:$metrics"]]);
$counters = function () use ($metrics) {
    [, , $page] = folk_http($metrics, 'GET', '/metrics');
    foreach (['abandoned' => '/^folk_jobs_total\{outcome="abandoned"\} (\d+)$/m', 'ok' => '/^folk_jobs_total\{outcome="ok"\} (\d+)$/m', 'submitted' => '/^folk_jobs_submitted_total (\d+)$/m'] as $k => $re) {
        preg_match($re, $page, $m);
        $out[$k] = (int) $m[1];
    }
    return $out;
};
$before = $counters();
$clients = [];
for ($i = 0; $i < 100; $i++) {
    $c = stream_socket_client("tcp://127.0.0.1:{$srv[2]}", $errno, $errstr, 5);
    fwrite($c, "GET /slow HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
    $clients[] = $c;
}
usleep(50000);
foreach ($clients as $c) fclose($c);
$t = microtime(true);
[$status, , $body] = folk_http($srv[2], 'GET', '/');
$took = microtime(true) - $t;
echo "$status $body ", $took < 0.3 ? 'under 300 ms' : sprintf('took %.0f ms', $took * 1000), "\n";
$deadline = microtime(true) + 3;
do {
    $now = $counters();
    $queued = $now['submitted'] - $before['submitted'] - 1;
    $ran = $now['ok'] - $before['ok'] - 1;
    $dropped = $now['abandoned'] - $before['abandoned'];
} while ($ran + $dropped < $queued && microtime(true) < $deadline && usleep(20000) === null);
echo "all 100 queued: ", $queued === 100 ? 'yes' : "no ($queued)", "\n";
echo "ran + dropped = 100, at most 10 ran: ", $ran + $dropped === 100 && $ran <= 10 ? 'yes' : "no ($ran ran, $dropped dropped)", "\n";
[$code] = folk_stop_server($srv);
echo "exit $code\n";
?>
--EXPECT--
200 Hello, World! under 300 ms
all 100 queued: yes
ran + dropped = 100, at most 10 ran: yes
exit 0
