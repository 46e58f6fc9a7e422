<?php
// The soak's load generator (run by scripts/soak.sh): SOAK_REQUESTS HTTP/1.1
// keep-alive requests over a few connections, one request in flight on each,
// so every answer is matched to the request it answers. The mix is fixed by
// the request's number (normal pages, fatal errors, exceptions, exit(),
// timeouts); every status and normal body is checked against what the mode
// must answer, and two SIGHUP reloads are sent along the way. The server's
// RSS and open descriptors are read from /proc after warm-up and at the end.
//
//   php soak-client.php PORT SERVER_PID RELOAD_PID MODE(classic|worker) REQUESTS CONNECTIONS TIMEOUT_EVERY
// SERVER_PID is the process measured; RELOAD_PID gets the SIGHUPs (the supervisor, which passes them on).
// Prints one JSON object with the figures; exits 1 if a check failed.

[, $port, $pid, $reloadPid, $mode, $total, $concurrency, $timeoutEvery] = $argv + array_fill(0, 8, null);
$port = (int) $port; $pid = (int) $pid; $reloadPid = (int) $reloadPid; $total = (int) $total; $concurrency = (int) $concurrency; $timeoutEvery = (int) $timeoutEvery;

/** What request $i is: [kind, path]. */
function soak_kind(int $i, int $timeoutEvery): array
{
    if ($timeoutEvery > 0 && $i % $timeoutEvery === $timeoutEvery - 1) return ['timeout', '/timeout.php'];
    return match ($i % 1000) {
        100, 600 => ['fatal', '/fatal.php'],
        200, 700 => ['exception', '/exception.php'],
        300 => ['exit', '/exit.php'],
        default => ['normal', "/page.php?n=$i"],
    };
}

$expected = [
    'classic' => ['normal' => 200, 'fatal' => 500, 'exception' => 500, 'exit' => 200, 'timeout' => 504],
    'worker' => ['normal' => 200, 'fatal' => 500, 'exception' => 500, 'exit' => 500, 'timeout' => 504],
][$mode];

function soak_rss(int $pid): int
{
    preg_match('/^VmRSS:\s+(\d+) kB/m', (string) @file_get_contents("/proc/$pid/status"), $m);
    return (int) ($m[1] ?? 0);
}

function soak_fds(int $pid): int
{
    return count(@scandir("/proc/$pid/fd") ?: []) - 2;
}

function soak_connect(int $port)
{
    $c = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 5);
    if (!$c) throw new RuntimeException("connect: $errstr");
    stream_set_blocking($c, false);
    return $c;
}

$fdsIdle = soak_fds($pid);
$warmAt = intdiv($total, 10);
$reloadAt = [intdiv($total, 3), intdiv(2 * $total, 3)];
$stats = ['sent' => 0, 'answered' => 0, 'unexpected' => 0, 'lost' => 0, 'reloads' => 0, 'by_kind' => []];
$examples = [];
$conns = [];
for ($k = 0; $k < $concurrency; $k++) $conns[$k] = ['sock' => soak_connect($port), 'buf' => '', 'req' => null];
$next = 0;
$started = microtime(true);
$rssWarm = null;
$lastProgress = $started;

/** Parses one complete response off the front of $buf: [status, headers, body] or null if incomplete. */
function soak_parse(string &$buf): ?array
{
    $end = strpos($buf, "\r\n\r\n");
    if ($end === false) return null;
    $lines = explode("\r\n", substr($buf, 0, $end));
    $status = (int) (explode(' ', array_shift($lines))[1] ?? 0);
    $headers = [];
    foreach ($lines as $l) { [$k, $v] = explode(':', $l, 2) + [1 => '']; $headers[strtolower($k)] = trim($v); }
    $rest = substr($buf, $end + 4);
    if (isset($headers['content-length'])) {
        $n = (int) $headers['content-length'];
        if (strlen($rest) < $n) return null;
        $buf = substr($rest, $n);
        return [$status, $headers, substr($rest, 0, $n)];
    }
    if (($headers['transfer-encoding'] ?? '') === 'chunked') {
        $body = ''; $at = 0;
        while (true) {
            $eol = strpos($rest, "\r\n", $at);
            if ($eol === false) return null;
            $size = hexdec(substr($rest, $at, $eol - $at));
            if (strlen($rest) < $eol + 2 + $size + 2) return null;
            if ($size === 0) { $buf = substr($rest, $eol + 4); return [$status, $headers, $body]; }
            $body .= substr($rest, $eol + 2, $size);
            $at = $eol + 2 + $size + 2;
        }
    }
    $buf = $rest;
    return [$status, $headers, ''];
}

while ($stats['answered'] + $stats['lost'] < $total) {
    foreach ($conns as $k => &$c) {
        if ($c['req'] === null && $next < $total) {
            [$kind, $path] = soak_kind($next, $timeoutEvery);
            $c['req'] = [$next, $kind];
            $next++;
            $stats['sent']++;
            fwrite($c['sock'], "GET $path HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
            if ($next === $warmAt) $rssWarm = soak_rss($pid);
            if (in_array($next, $reloadAt, true)) { posix_kill($reloadPid, SIGHUP); $stats['reloads']++; }
        }
    }
    unset($c);
    $read = array_map(fn ($c) => $c['sock'], array_filter($conns, fn ($c) => $c['req'] !== null));
    if (!$read) break;
    $w = $e = null;
    if (stream_select($read, $w, $e, 10) === 0) { fwrite(STDERR, "soak: no answer for 10 s\n"); break; }
    foreach ($read as $sock) {
        $k = array_search($sock, array_column($conns, 'sock'), true);
        $c = &$conns[$k];
        $data = fread($sock, 65536);
        if ($data === '' || $data === false) {
            if (feof($sock)) {
                // The connection ended with a request unanswered: that request is lost.
                $stats['lost']++;
                $examples[] = "lost #{$c['req'][0]} ({$c['req'][1]})";
                fclose($sock);
                $c = ['sock' => soak_connect($port), 'buf' => '', 'req' => null];
            }
            unset($c);
            continue;
        }
        $c['buf'] .= $data;
        if (($r = soak_parse($c['buf'])) === null) { unset($c); continue; }
        [$status, $headers, $body] = $r;
        [$i, $kind] = $c['req'];
        $stats['answered']++;
        $stats['by_kind'][$kind][$status] = ($stats['by_kind'][$kind][$status] ?? 0) + 1;
        $ok = $status === $expected[$kind] && ($kind !== 'normal' || $body === "page $i");
        if (!$ok) {
            $stats['unexpected']++;
            if (count($examples) < 10) $examples[] = "#$i $kind: $status " . substr($body, 0, 80);
        }
        $c['req'] = null;
        if (strtolower($headers['connection'] ?? '') === 'close') {
            fclose($sock);
            $c = ['sock' => soak_connect($port), 'buf' => '', 'req' => null];
        }
        unset($c);
    }
    if (microtime(true) - $lastProgress > 10) {
        $lastProgress = microtime(true);
        fprintf(STDERR, "soak %s: %d/%d answered, %.0f req/s\n", $mode, $stats['answered'], $total, $stats['answered'] / ($lastProgress - $started));
    }
}
$took = microtime(true) - $started;
$rssEnd = soak_rss($pid);
foreach ($conns as $c) fclose($c['sock']);
// The server closes its side once our FINs arrive: give it a moment, then count.
$fdsEnd = soak_fds($pid);
for ($t = 0; $t < 50 && $fdsEnd > $fdsIdle; $t++) { usleep(100000); $fdsEnd = soak_fds($pid); }
$growth = $rssWarm ? ($rssEnd - $rssWarm) / $rssWarm * 100 : null;
$result = $stats + [
    'mode' => $mode,
    'seconds' => round($took, 1),
    'req_per_s' => round($stats['answered'] / $took),
    'rss_warm_kb' => $rssWarm,
    'rss_end_kb' => $rssEnd,
    'rss_growth_pct' => $growth === null ? null : round($growth, 2),
    'fds_idle' => $fdsIdle,
    'fds_end' => $fdsEnd,
    'examples' => $examples,
];
$pass = $stats['unexpected'] === 0 && $stats['lost'] === 0 && $stats['answered'] === $total
    && $growth !== null && $growth < 10 && $fdsEnd <= $fdsIdle && $stats['reloads'] === 2;
$result['pass'] = $pass;
echo json_encode($result, JSON_UNESCAPED_SLASHES), "\n";
exit($pass ? 0 : 1);
