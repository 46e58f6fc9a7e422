--TEST--
`folk status` prints one line per worker of a running `folk serve` (from its metrics port: --admin ADDR, else FOLK_METRICS_LISTEN), `folk reload` reloads it and prints the new generation; with nothing listening both say so and exit 1, a bad command line exits 2
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$port = folk_free_port();
$mport = folk_free_port();
$folk = dirname(__DIR__, 3) . '/bin/folk';
$log = tempnam(sys_get_temp_dir(), 'folk-cli-');
$env = ['FOLK_PHP' => PHP_BINARY, 'FOLK_EXTENSION' => folk_extension_path(), 'PATH' => getenv('PATH')];
function folk(string $folk, array $env, array $args): array {
    $p = proc_open(array_merge([$folk], $args), [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
    $out = stream_get_contents($pipes[1]); $err = stream_get_contents($pipes[2]);
    return [proc_close($p), $out, trim(strtok($err, "\n"))];
}
$proc = proc_open([$folk, 'serve', '--worker', dirname(__DIR__, 2) . '/fixtures/worker_http.php', "--listen=127.0.0.1:$port", '--workers', '2'],
                  [1 => ['file', $log, 'w'], 2 => ['file', $log, 'a']], $pipes, null, $env + ['FOLK_METRICS_LISTEN' => "127.0.0.1:$mport"]);
folk_wait_port($port, $proc, $log);
folk_wait_port($mport, $proc, $log);

// A slow request keeps one worker busy while `folk status` looks.
$c = stream_socket_client("tcp://127.0.0.1:$port");
fwrite($c, "GET /slow?1000000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
usleep(300000);
[$code, $out] = folk($folk, $env, ['status', '--admin', "127.0.0.1:$mport"]);
$lines = explode("\n", trim($out));
echo "status: exit $code, ", count($lines), " lines\n";
echo preg_replace('/\s+/', ' ', $lines[0]), "\n", preg_replace('/\s+/', ' ', $lines[1]), "\n";
// Which worker takes the request is not fixed: the ids, then each line's kind, state, job and whether it shows a duration.
$rows = array_map(fn ($l) => preg_split('/\s+/', $l), array_slice($lines, 2));
echo 'ids ', implode(',', array_column($rows, 0)), "\n";
$seen = array_map(fn ($r) => "$r[1] $r[2] $r[3] " . ($r[4] === '-' ? 'not running' : (preg_match('/^\d+\.\ds$/', $r[4]) ? 'running' : "bad $r[4]")), $rows);
sort($seen);
echo implode("\n", $seen), "\n";
folk_read_response($c);

// FOLK_METRICS_LISTEN is the default address.
[$code, $out] = folk($folk, $env + ['FOLK_METRICS_LISTEN' => "127.0.0.1:$mport"], ['reload']);
echo "reload: exit $code, $out";
[$code, $out] = folk($folk, $env, ['reload', "--admin=127.0.0.1:$mport"]);
echo "reload: exit $code, $out";
[$code, $out] = folk($folk, $env, ['status', "--admin=127.0.0.1:$mport"]);
echo strtok($out, "\n"), "\n";

$free = folk_free_port();
[$code, $out, $err] = folk($folk, $env, ['status', '--admin', "127.0.0.1:$free"]);
echo "status, nothing there: exit $code, ", str_replace($free, 'PORT', $err), "\n";
[$code, $out, $err] = folk($folk, $env, ['reload', '--admin', "127.0.0.1:$free"]);
echo "reload, nothing there: exit $code, ", str_starts_with($err, "folk: no folk server answers at 127.0.0.1:$free") ? 'says so' : $err, "\n";
[$code, , $err] = folk($folk, $env, ['status', '--admin']);
echo "$code $err\n";
[$code, , $err] = folk($folk, $env, ['reload', '--port', '1']);
echo "$code $err\n";

[$code] = folk_stop_server([$proc, $pipes, $port, $log, $log]);
var_dump($code);
?>
--EXPECTF--
status: exit 0, 4 lines
generation 1, 0 queued, healthy
ID KIND STATE JOB RUNNING AGE MEMORY JOBS
ids 0,1
thread busy http running
thread idle - not running
reload: exit 0, reloading: generation 2
reload: exit 0, reloading: generation 3
generation 3, 0 queued, healthy
status, nothing there: exit 1, folk: no folk server answers at 127.0.0.1:PORT (Connection refused); is it running with metrics.listen = 127.0.0.1:PORT? (--admin ADDR or FOLK_METRICS_LISTEN)
reload, nothing there: exit 1, says so
2 folk: --admin needs a value
2 folk: unknown option --port
int(0)
