--TEST--
http.client_connections caps the connections one client address holds (more get 503, a closed one frees its place, a trusted proxy is exempt) and http.client_rate answers 429 with Retry-After past one second's worth of requests, per client as http.trusted_proxies names it; both are off by default
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';

function open_conn(int $port) {
    $c = stream_socket_client("tcp://127.0.0.1:$port", $e, $s, 5);
    stream_set_timeout($c, 5);
    return $c;
}
function ask($c, array $headers = []): int {
    fwrite($c, folk_http_request('GET', '/', $headers, ''));
    return folk_read_response($c)[0];
}

echo "-- http.client_connections = 2\n";
$srv = folk_start_server(['workers' => ['count' => 1], 'http' => ['client_connections' => 2]]);
usleep(300000); // the harness's port probe is a connection too, until the server sees it close
$a = open_conn($srv[2]); $b = open_conn($srv[2]);
echo ask($a), " ", ask($b), "\n";
$c = open_conn($srv[2]);
echo "third: ", ask($c), "\n";
fclose($c);
fclose($a);
usleep(200000); // the server notices the close
$d = open_conn($srv[2]);
echo "after one closed: ", ask($d), "\n";
fclose($b); fclose($d);
folk_stop_server($srv);

echo "-- the same, with 127.0.0.1 a trusted proxy\n";
$srv = folk_start_server(['workers' => ['count' => 1], 'http' => ['client_connections' => 2, 'trusted_proxies' => '127.0.0.1']]);
$conns = [open_conn($srv[2]), open_conn($srv[2]), open_conn($srv[2]), open_conn($srv[2])];
echo implode(' ', array_map(fn ($c) => ask($c), $conns)), "\n";
foreach ($conns as $c) fclose($c);
folk_stop_server($srv);

echo "-- http.client_rate = 2\n";
$srv = folk_start_server(['workers' => ['count' => 1], 'http' => ['client_rate' => 2]]);
$c = open_conn($srv[2]);
$statuses = [ask($c), ask($c), ask($c)];
echo implode(' ', $statuses), "\n";
fwrite($c, folk_http_request('GET', '/', [], ''));
[$s, $h, $body] = folk_read_response($c);
echo "$s retry-after=", $h['retry-after'][0] ?? '-', " ", $body;
sleep(1);
echo "a second later: ", ask($c), "\n";
fclose($c);
folk_stop_server($srv);

echo "-- http.client_rate = 2 behind a trusted proxy: each forwarded client has its own allowance\n";
$srv = folk_start_server(['workers' => ['count' => 1], 'http' => ['client_rate' => 2, 'trusted_proxies' => '127.0.0.1']]);
$c = open_conn($srv[2]);
$x = ['x-forwarded-for' => '203.0.113.1'];
$y = ['x-forwarded-for' => '203.0.113.2'];
echo implode(' ', [ask($c, $x), ask($c, $x), ask($c, $x), ask($c, $y), ask($c, $y), ask($c, $y)]), "\n";
fclose($c);
folk_stop_server($srv);

echo "-- off by default\n";
$srv = folk_start_server(['workers' => ['count' => 1]]);
$conns = [];
for ($i = 0; $i < 20; $i++) $conns[] = open_conn($srv[2]);
$ok = 0;
foreach ($conns as $c) { $ok += ask($c) === 200; $ok += ask($c) === 200; }
echo "$ok of 40\n";
foreach ($conns as $c) fclose($c);
folk_stop_server($srv);
?>
--EXPECT--
-- http.client_connections = 2
200 200
third: 503
after one closed: 200
-- the same, with 127.0.0.1 a trusted proxy
200 200 200 200
-- http.client_rate = 2
200 200 429
429 retry-after=1 429 Too Many Requests
a second later: 200
-- http.client_rate = 2 behind a trusted proxy: each forwarded client has its own allowance
200 200 429 200 200 429
-- off by default
40 of 40
