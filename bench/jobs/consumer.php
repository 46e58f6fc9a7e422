<?php
// The baseline: a plain PHP queue consumer, one process, BLPOP over a socket
// with hand-written RESP (what a minimal Redis queue worker does). Exits on
// the 'stop' sentinel and prints how many jobs it took.
[$_, $port, $list] = $argv;
$c = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 5) or exit("connect: $errstr\n");
stream_set_timeout($c, 30);
require __DIR__ . '/resp.php';
$cmd = resp('BLPOP', $list, '5');
$n = 0;
while (true) {
    fwrite($c, $cmd);
    $r = resp_read($c);
    if ($r === null) continue;
    $job = json_decode($r[1], true);          // decode like a real worker would
    if ($job['name'] === 'stop') break;
    $n++;                                     // the no-op handler
}
echo "$n\n";
