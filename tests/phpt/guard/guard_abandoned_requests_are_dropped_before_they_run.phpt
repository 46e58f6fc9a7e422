--TEST--
Abandoned requests: 100 clients send GET /slow.php (200 ms) and close at once; the dead requests are dropped before a worker takes them (counted as abandoned), so a GET / sent right after is answered in under 300 ms on 3 PHP threads
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$ranFile = tempnam(sys_get_temp_dir(), 'folk-ran-');
$metrics = folk_free_port();
$srv = folk_classic([
    'slow.php' => '<?php file_put_contents(' . var_export($ranFile, true) . ', "x", FILE_APPEND); usleep(200000); echo "slow";',
    'index.php' => '<?php echo "ok";',
], ['workers' => ['count' => 3], 'metrics' => ['listen' => "127.0.0.1:$metrics"]], ['FOLK_LOG' => 'folk=debug']);
$counters = function () use ($metrics) {
    [, , $page] = folk_http($metrics, 'GET', '/metrics');
    preg_match('/^folk_jobs_total\{outcome="abandoned"\} (\d+)$/m', $page, $a);
    preg_match('/^folk_jobs_submitted_total (\d+)$/m', $page, $s);
    preg_match('/^folk_http_connections (\d+)$/m', $page, $o);
    clearstatcache();
    return [(int) $a[1], (int) $s[1], filesize($GLOBALS['ranFile']), (int) $o[1]];
};
// $wait: how long the clients keep their connections before closing (0: at once).
foreach (['at once' => 0, 'after 50 ms in the queue' => 50000] as $how => $wait) {
    [$abandoned0, $submitted0, $started0] = $counters();
    $clients = [];
    for ($i = 0; $i < 100; $i++) {
        $c = stream_socket_client("tcp://127.0.0.1:{$srv[2]}", $errno, $errstr, 5);
        fwrite($c, "GET /slow.php HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
        $clients[] = $c;
    }
    usleep($wait);
    foreach ($clients as $c) fclose($c);
    $t = microtime(true);
    [$status, , $body] = folk_http($srv[2], 'GET', '/');
    $took = microtime(true) - $t;
    echo "$how: $status $body ", $took < 0.3 ? 'under 300 ms' : sprintf('took %.0f ms', $took * 1000), "\n";
    // Every slow request that reached the queue either ran (a worker took it
    // before its client left) or was dropped unrun. A request whose client
    // was gone before hyper first polled it never reaches the queue at all.
    // Settled once every connection is closed too: one not read yet (under
    // http.direct, one the overflow has not taken) may still be queued.
    $deadline = microtime(true) + 3;
    do {
        [$abandoned, $submitted, $started, $open] = $counters();
        $queued = $submitted - $submitted0 - 1;
        $dropped = $abandoned - $abandoned0;
        $ran = $started - $started0;
    } while (($ran + $dropped < $queued || $open > 0) && microtime(true) < $deadline && usleep(20000) === null);
    echo "  queued = ran + dropped: ", $queued === $ran + $dropped ? 'yes' : "no ($queued queued, $ran ran, $dropped dropped)", "\n";
    echo "  at most 10 ran: ", $ran <= 10 ? 'yes' : "no ($ran)", "\n";
    if ($wait) echo "  all 100 queued, the rest dropped: ", $queued === 100 && $dropped === 100 - $ran ? 'yes' : "no ($queued queued, $dropped dropped)", "\n";
}
[$code, $log] = folk_stop_server($srv);
echo "exit $code\n";
echo "logged at debug: ", str_contains($log, 'queued job dropped: its caller left') ? 'yes' : 'no', "\n";
unlink($ranFile);
?>
--EXPECT--
at once: 200 ok under 300 ms
  queued = ran + dropped: yes
  at most 10 ran: yes
after 50 ms in the queue: 200 ok under 300 ms
  queued = ran + dropped: yes
  at most 10 ran: yes
  all 100 queued, the rest dropped: yes
exit 0
logged at debug: yes
