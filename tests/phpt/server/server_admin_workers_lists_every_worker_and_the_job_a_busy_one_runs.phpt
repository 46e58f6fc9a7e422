--TEST--
GET /workers on the metrics port lists every worker slot with its kind and state; a worker busy on a slow request shows that job (method http) and a duration that grows while it runs
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$mport = folk_free_port();
$srv = folk_start_server(['workers' => ['count' => 2], 'server' => ['main_worker' => false], 'metrics' => ['listen' => "127.0.0.1:$mport"]]);
folk_wait_port($mport, $srv[0], $srv[3]);
function workers(int $mport): array {
    [$s, $h, $b] = folk_http($mport, 'GET', '/workers');
    if ($s !== 200 || $h['content-type'][0] !== 'application/json') { echo "GET /workers: $s $b\n"; exit(1); }
    return json_decode($b, true);
}
for ($i = 0; $i < 3; $i++) folk_http($srv[2], 'GET', '/');
$deadline = microtime(true) + 5;
do { $page = workers($mport); } while (array_column($page['workers'], 'state') !== ['idle', 'idle'] && microtime(true) < $deadline && usleep(20000) === null);
echo 'ids ', implode(',', array_column($page['workers'], 'id')), ', kinds ', implode(',', array_column($page['workers'], 'kind')), ', states ', implode(',', array_column($page['workers'], 'state')), "\n";
var_dump($page['healthy'], $page['queue_depth'], array_sum(array_column($page['workers'], 'jobs_total')) >= 3, $page['workers'][0]['job']);

// A slow request in flight: one worker is busy on it.
$c = stream_socket_client("tcp://127.0.0.1:{$srv[2]}");
fwrite($c, "GET /slow?1500000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
$busy = null;
$deadline = microtime(true) + 5;
while (!$busy && microtime(true) < $deadline) {
    foreach (workers($mport)['workers'] as $w) if ($w['state'] === 'busy') $busy = $w;
    usleep(20000);
}
echo "busy: {$busy['state']} {$busy['job']['method']}\n";
usleep(400000);
$later = workers($mport)['workers'][$busy['id']];
echo "still busy on it: {$later['state']} {$later['job']['method']}\n";
var_dump($later['job']['secs'] >= $busy['job']['secs'] + 0.3, $later['age_secs'] > $later['job']['secs']);
var_dump(folk_read_response($c)[2]);
folk_stop_server($srv);
?>
--EXPECT--
ids 0,1, kinds thread,thread, states idle,idle
bool(true)
int(0)
bool(true)
NULL
busy: busy http
still busy on it: busy http
bool(true)
bool(true)
string(9) "slow done"
