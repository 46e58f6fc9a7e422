<?php
// A baseline with folk's guarantee: a plain PHP consumer, one process, on a Redis
// stream with a consumer group over a socket with hand-written RESP. Each job is
// read with XREADGROUP (COUNT 1, so it stays pending until acknowledged: a consumer
// that dies mid-job leaves it to be reclaimed) and settled after its handler with
// XACK + XDEL in one round trip. Exits on the 'stop' sentinel and prints how many jobs it took.
[$_, $port, $stream, $consumer] = $argv;
$c = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 5) or exit("connect: $errstr\n");
stream_set_timeout($c, 30);
require __DIR__ . '/resp.php';
$read = resp('XREADGROUP', 'GROUP', 'bench', $consumer, 'COUNT', '1', 'BLOCK', '5000', 'STREAMS', $stream, '>');
$n = 0;
while (true) {
    fwrite($c, $read);
    $r = resp_read($c);
    if ($r === null) continue;
    [$id, $fields] = $r[0][1][0];
    $job = json_decode($fields[1], true);      // decode like a real worker would
    if ($job['name'] === 'stop') break;
    $n++;                                     // the no-op handler
    fwrite($c, resp('XACK', $stream, 'bench', $id) . resp('XDEL', $stream, $id));
    resp_read($c);
    resp_read($c);
}
echo "$n\n";
