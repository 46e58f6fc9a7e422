<?php
// Hand-written RESP for the plain PHP baselines (what a minimal Redis queue worker does):
// one command as bytes, and one reply read from the socket.
function resp(string ...$args): string
{
    return '*' . count($args) . "\r\n" . implode('', array_map(fn ($a) => '$' . strlen($a) . "\r\n$a\r\n", $args));
}

function resp_read($c)
{
    $line = fgets($c);
    if ($line === false) exit("redis closed the connection\n");
    $t = $line[0]; $rest = substr($line, 1, -2);
    if ($t === '*') { $n = (int) $rest; if ($n < 0) return null; $out = []; for ($i = 0; $i < $n; $i++) $out[] = resp_read($c); return $out; }
    if ($t === '$') { $n = (int) $rest; if ($n < 0) return null; $s = ''; while (strlen($s) < $n + 2) $s .= fread($c, $n + 2 - strlen($s)); return substr($s, 0, $n); }
    if ($t === ':') return (int) $rest;
    if ($t === '-') exit("redis error: $rest\n");
    return $rest;
}
