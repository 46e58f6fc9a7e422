<?php
// The baseline: a plain PHP queue consumer, one process, BLPOP over a socket
// with hand-written RESP (what a minimal Redis queue worker does). Exits on
// the 'stop' sentinel and prints how many jobs it took.
[$_, $port, $list] = $argv;
$c = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 5) or exit("connect: $errstr\n");
stream_set_timeout($c, 30);
function resp_read($c) {
    $line = fgets($c);
    if ($line === false) exit("redis closed the connection\n");
    $t = $line[0]; $rest = substr($line, 1, -2);
    if ($t === '*') { $n = (int) $rest; if ($n < 0) return null; $out = []; for ($i = 0; $i < $n; $i++) $out[] = resp_read($c); return $out; }
    if ($t === '$') { $n = (int) $rest; if ($n < 0) return null; $s = ''; while (strlen($s) < $n + 2) $s .= fread($c, $n + 2 - strlen($s)); return substr($s, 0, $n); }
    if ($t === ':') return (int) $rest;
    if ($t === '-') exit("redis error: $rest\n");
    return $rest;
}
$cmd = "*3\r\n\$5\r\nBLPOP\r\n\$" . strlen($list) . "\r\n$list\r\n\$1\r\n5\r\n";
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
