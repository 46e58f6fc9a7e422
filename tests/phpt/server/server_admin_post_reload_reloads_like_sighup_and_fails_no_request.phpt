--TEST--
POST /reload on the metrics port reloads the workers as SIGHUP does: 202 with the new generation, every worker is replaced onto it, a request in flight and the requests during the reload all succeed; GET /reload is 405 with Allow: POST and reloads nothing
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$mport = folk_free_port();
$srv = folk_start_server(['workers' => ['count' => 2], 'metrics' => ['listen' => "127.0.0.1:$mport"]]);
folk_wait_port($mport, $srv[0], $srv[3]);
$before = json_decode(folk_http($mport, 'GET', '/workers')[2], true)['generation'];

[$s, $h, $b] = folk_http($mport, 'GET', '/reload');
echo "GET /reload: $s, Allow: {$h['allow'][0]}\n";
var_dump(json_decode(folk_http($mport, 'GET', '/workers')[2], true)['generation'] === $before);

// A request in flight when the reload comes.
$c = stream_socket_client("tcp://127.0.0.1:{$srv[2]}");
fwrite($c, "GET /slow?600000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
usleep(150000);
[$s, $h, $b] = folk_http($mport, 'POST', '/reload');
echo "POST /reload: $s {$h['content-type'][0]}\n";
var_dump(json_decode($b, true) === ['generation' => $before + 1]);

// Requests keep succeeding until every serving worker runs the new generation.
$failed = 0; $replaced = false;
$deadline = microtime(true) + 10;
while (microtime(true) < $deadline && !$replaced) {
    if (folk_http($srv[2], 'GET', '/thread')[0] !== 200) $failed++;
    $page = json_decode(folk_http($mport, 'GET', '/workers')[2], true);
    $serving = array_filter($page['workers'], fn ($w) => in_array($w['state'], ['idle', 'busy'], true));
    $replaced = count($serving) >= 2 && !array_filter($serving, fn ($w) => $w['generation'] !== $before + 1);
}
[$s, , $b] = folk_read_response($c);
echo "in flight: $s $b\n";
var_dump($failed, $replaced, $page['generation'] === $before + 1);
[$code, $log] = folk_stop_server($srv);
var_dump($code, str_contains($log, 'POST /reload: reloading the workers'));
?>
--EXPECT--
GET /reload: 405, Allow: POST
bool(true)
POST /reload: 202 application/json
bool(true)
in flight: 200 slow done
int(0)
bool(true)
bool(true)
int(0)
bool(true)
