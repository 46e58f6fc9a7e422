--TEST--
folk's fastcgi.listen speaks FastCGI as a web server expects of php-fpm: keep-alive connections and closing without FCGI_KEEP_CONN, two requests multiplexed on one connection, FCGI_ABORT_REQUEST of a queued request (never run), GET_VALUES, an unknown role and record type, 404/403 for scripts php-fpm would not run, large bodies, flush() streaming, fastcgi_finish_request(), PHP_VALUE/PHP_ADMIN_VALUE for one request only, a fatal error and exec_timeout
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo "skip needs posix"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/fastcgi_client.php';
require __DIR__ . '/../../fixtures/classic_harness.php';
$marks = sys_get_temp_dir() . '/folk-fcgi-marks-' . getmypid();
@mkdir($marks);
$root = realpath(folk_docroot([
    's.php' => '<?php echo $_SERVER["REQUEST_METHOD"], " ", $_SERVER["SCRIPT_NAME"], " [", $_SERVER["PATH_INFO"], "] ", $_SERVER["PHP_SELF"], " ", json_encode($_GET), " ", strlen(file_get_contents("php://input")), " ", md5(file_get_contents("php://input")), "\n";',
    'slow.php' => '<?php usleep(400000); echo "slow ", $_GET["n"] ?? "", "\n";',
    'mark.php' => '<?php touch(' . var_export($marks, true) . ' . "/ran-" . $_GET["n"]); echo "ran\n";',
    'stream.php' => '<?php echo "first"; while (ob_get_level()) ob_end_flush(); flush(); usleep(500000); echo " second";',
    'finish.php' => '<?php echo "answered"; fastcgi_finish_request(); usleep(600000); touch(' . var_export($marks, true) . ' . "/finished");',
    'ini.php' => '<?php echo ini_get("memory_limit"), " ", error_reporting(), " ", var_export(ini_set("memory_limit", "200M") !== false, true), "\n";',
    'fatal.php' => '<?php undefined_function_here();',
    'loop.php' => '<?php while (true) {}',
    'notes.txt' => 'plain text',
]));
$port = folk_free_port();
$mport = folk_free_port();
$addr = "tcp://127.0.0.1:$port";
$server = folk_start_server(['worker' => null, 'workers' => ['count' => 2, 'exec_timeout' => '2s'],
    'http' => ['enabled' => false], 'fastcgi' => ['listen' => "127.0.0.1:$port"], 'metrics' => ['listen' => "127.0.0.1:$mport"]], [], [], false);
folk_wait_port($port, $server[0], $server[3]);
$p = fn (string $uri, string $method = 'GET', array $extra = []) => fcgi_params($root, $uri, $method, $extra);

// A plain request, with a path info and a query.
[$status, $headers, $body] = fcgi_ask($addr, $p('/s.php/extra/path?a=1&b[]=2'));
echo "GET: $status ", $headers['content-type'][0] ?? '-', " | $body";

// Keep-alive: three requests on one connection with FCGI_KEEP_CONN, then one without it, which closes.
$c = fcgi_connect($addr);
foreach ([1, 2, 3] as $n) {
    fwrite($c, fcgi_request_bytes(1, $p("/s.php?n=$n"), '', true));
    $got = fcgi_collect($c, [1])[1];
    echo "keep-alive $n: ", json_encode($got['end']), " ", fcgi_parse_cgi($got['stdout'])[2];
}
fwrite($c, fcgi_request_bytes(1, $p('/s.php?n=4')));
$got = fcgi_collect($c, [1])[1];
echo "last: ", json_encode($got['end']), ", then the connection ", fcgi_read_record($c) === null && feof($c) ? "is closed" : "stays OPEN", "\n";
fclose($c);

// Two requests multiplexed on one connection, their records interleaved on the way in.
$c = fcgi_connect($addr);
$records = fn (int $id, array $params, string $body) => [fcgi_record(FCGI_BEGIN_REQUEST, $id, pack('nCx5', 1, 0)),
    fcgi_record(FCGI_PARAMS, $id, fcgi_pairs($params)), fcgi_record(FCGI_PARAMS, $id, ''),
    fcgi_record(FCGI_STDIN, $id, $body), fcgi_record(FCGI_STDIN, $id, '')];
$one = $records(1, $p('/slow.php?n=1'), '');
$two = $records(2, $p('/s.php?n=2', 'POST', ['CONTENT_TYPE' => 'text/plain', 'CONTENT_LENGTH' => '5']), 'hello');
// An empty STDIN record ends a body, so request 1's is left out (it has none).
fwrite($c, $one[0] . $two[0] . $two[1] . $one[1] . $one[2] . $two[2] . $two[3] . $one[4] . $two[4]);
$got = fcgi_collect($c, [1, 2]);
fclose($c);
echo "multiplexed: 1 -> ", trim(fcgi_parse_cgi($got[1]['stdout'])[2]), ", 2 -> ", fcgi_parse_cgi($got[2]['stdout'])[2];
echo "  request 2 ended first: ", var_export($got[2]['ended_at'] < $got[1]['ended_at'], true), "\n";

// Abort: both workers busy, a third request is queued; the web server aborts it: it never runs.
$busy = [fcgi_connect($addr), fcgi_connect($addr)];
foreach ($busy as $i => $b) fwrite($b, fcgi_request_bytes(1, $p("/slow.php?n=b$i")));
usleep(100000);
$c = fcgi_connect($addr);
fwrite($c, fcgi_request_bytes(7, $p('/mark.php?n=aborted'), '', true));
usleep(50000);
fwrite($c, fcgi_record(FCGI_ABORT_REQUEST, 7, ''));
$got = fcgi_collect($c, [7])[7];
echo "aborted: END_REQUEST ", json_encode($got['end']), ", stdout ", json_encode($got['stdout']), "\n";
foreach ($busy as $b) { fcgi_collect($b, [1]); fclose($b); }
// The connection stays for the next request (FCGI_KEEP_CONN was set).
fwrite($c, fcgi_request_bytes(8, $p('/mark.php?n=after')));
echo "after the abort: ", fcgi_parse_cgi(fcgi_collect($c, [8])[8]['stdout'])[2];
fclose($c);
usleep(200000);
echo "the aborted request ran: ", var_export(file_exists("$marks/ran-aborted"), true), "; the next one ran: ", var_export(file_exists("$marks/ran-after"), true), "\n";

// GET_VALUES (management record, id 0), an unknown role, an unknown management record type.
$c = fcgi_connect($addr);
fwrite($c, fcgi_record(FCGI_GET_VALUES, 0, fcgi_pairs(['FCGI_MPXS_CONNS' => '', 'FCGI_NOT_A_NAME' => ''])));
$r = fcgi_read_record($c);
echo "GET_VALUES: type ", $r['type'], " ", json_encode(bin2hex($r['content'])), "\n";
fwrite($c, fcgi_record(42, 0, 'x'));
$r = fcgi_read_record($c);
echo "unknown type 42: record type ", $r['type'], ", names ", ord($r['content'][0]), "\n";
fwrite($c, fcgi_request_bytes(3, $p('/s.php'), '', true, 2));
echo "authorizer role: END_REQUEST ", json_encode(fcgi_collect($c, [3])[3]['end']), "\n";
fclose($c);

// Malformed input closes that connection only (logged); the server serves on.
foreach (['version 2' => "\x02\x01\x00\x01\x00\x08\x00\x00" . str_repeat("\0", 8),
          'truncated params' => fcgi_record(FCGI_BEGIN_REQUEST, 1, pack('nCx5', 1, 0)) . fcgi_record(FCGI_PARAMS, 1, "\x05\x80ab") . fcgi_record(FCGI_PARAMS, 1, '')] as $what => $bytes) {
    $c = fcgi_connect($addr);
    fwrite($c, $bytes);
    echo "$what: ", fcgi_read_record($c) === null && feof($c) ? "connection closed" : "NOT CLOSED", "; ";
    fclose($c);
}
echo "then: ", fcgi_ask($addr, $p('/s.php'))[0], "\n";

// What php-fpm answers without running anything.
foreach (['/missing.php', '/notes.txt'] as $uri) {
    [$status, , $body] = fcgi_ask($addr, $p($uri));
    echo "$uri: $status ", json_encode($body), "\n";
}

// A 3 MB body (spooled to disk past http.body_buffer), in 64 KiB STDIN records.
$big = random_bytes(3 << 20);
[$status, , $body] = fcgi_ask($addr, $p('/s.php', 'POST', ['CONTENT_TYPE' => 'application/octet-stream', 'CONTENT_LENGTH' => (string) strlen($big)]), $big);
echo "3 MB body: $status, md5 ", str_contains($body, md5($big)) ? "matches" : "DIFFERS: $body", "\n";

// flush(): the first part arrives long before the end.
$c = fcgi_connect($addr);
fwrite($c, fcgi_request_bytes(1, $p('/stream.php')));
$got = fcgi_collect($c, [1])[1];
fclose($c);
$first = null;
foreach ($got['records'] as $r) if ($r['type'] === FCGI_STDOUT && str_contains($r['content'], 'first')) { $first = $r['at']; break; }
echo "streamed: ", json_encode(fcgi_parse_cgi($got['stdout'])[2]), ", first part ", $first !== null && $got['ended_at'] - $first > 0.3 ? "ahead of the end" : "NOT AHEAD", "\n";

// fastcgi_finish_request(): END_REQUEST before the script goes on.
$t = microtime(true);
[$status, , $body] = fcgi_ask($addr, $p('/finish.php'));
$took = microtime(true) - $t;
echo "finish: $status $body, answered ", $took < 0.45 ? "before" : "AFTER", " the rest ran; ";
usleep(900000);
echo "the rest ran: ", var_export(file_exists("$marks/finished"), true), "\n";

// PHP_VALUE / PHP_ADMIN_VALUE apply to their own request only.
[, , $plain] = fcgi_ask($addr, $p('/ini.php'));
[, , $user] = fcgi_ask($addr, $p('/ini.php', 'GET', ['PHP_VALUE' => "memory_limit = 96M\nerror_reporting = E_ALL & ~E_NOTICE"]));
[, , $admin] = fcgi_ask($addr, $p('/ini.php', 'GET', ['PHP_ADMIN_VALUE' => 'memory_limit=80M']));
[, , $after] = fcgi_ask($addr, $p('/ini.php'));
echo "PHP_VALUE: $user", "PHP_ADMIN_VALUE (ini_set then refused): $admin", "the next request as before: ", var_export($after === $plain, true), "\n";

// A fatal error answers 500, and the next request is served; an endless loop gets 504 at exec_timeout.
echo "fatal: ", fcgi_ask($addr, $p('/fatal.php'))[0], ", then ", fcgi_ask($addr, $p('/s.php'))[0], "\n";
$t = microtime(true);
$loop = fcgi_ask($addr, $p('/loop.php'))[0];
printf("loop: %d after %s\n", $loop, microtime(true) - $t < 4 ? "about exec_timeout" : "TOO LONG");
echo "then: ", fcgi_ask($addr, $p('/s.php'))[0], "\n";

$metrics = folk_http($mport, 'GET', '/metrics')[2];
preg_match_all('/^(folk_fastcgi_aborted_total|folk_fastcgi_requests_total\{class="(?:2|4|5)xx"\}|folk_fastcgi_connections) (\d+)$/m', $metrics, $m);
echo "metrics: ", implode(', ', array_map(fn ($k, $v) => "$k $v", $m[1], $m[2])), "\n";

// SIGTERM with a request running: it is answered, then the server exits.
$c = fcgi_connect($addr);
fwrite($c, fcgi_request_bytes(1, $p('/slow.php?n=last')));
usleep(100000);
posix_kill(proc_get_status($server[0])['pid'], SIGTERM);
echo "during the stop: ", fcgi_parse_cgi(fcgi_collect($c, [1])[1]['stdout'])[2];
[$code, $log] = folk_stop_server($server);
echo "stopped: $code\n";
foreach (glob("$marks/*") as $f) unlink($f);
rmdir($marks);
?>
--EXPECTF--
GET: 200 text/html; charset=UTF-8 | GET /s.php [/extra/path] /s.php/extra/path {"a":"1","b":["2"]} 0 d41d8cd98f00b204e9800998ecf8427e
keep-alive 1: [0,0] GET /s.php [] /s.php {"n":"1"} 0 d41d8cd98f00b204e9800998ecf8427e
keep-alive 2: [0,0] GET /s.php [] /s.php {"n":"2"} 0 d41d8cd98f00b204e9800998ecf8427e
keep-alive 3: [0,0] GET /s.php [] /s.php {"n":"3"} 0 d41d8cd98f00b204e9800998ecf8427e
last: [0,0], then the connection is closed
multiplexed: 1 -> slow 1, 2 -> POST /s.php [] /s.php {"n":"2"} 5 5d41402abc4b2a76b9719d911017c592
  request 2 ended first: true
aborted: END_REQUEST [0,0], stdout ""
after the abort: ran
the aborted request ran: false; the next one ran: true
GET_VALUES: type 10 "0f01464347495f4d5058535f434f4e4e5331"
unknown type 42: record type 11, names 42
authorizer role: END_REQUEST [0,3]
version 2: connection closed; truncated params: connection closed; then: 200
/missing.php: 404 "File not found.\n"
/notes.txt: 403 "Access denied.\n"
3 MB body: 200, md5 matches
streamed: "first second", first part ahead of the end
finish: 200 answered, answered before the rest ran; the rest ran: true
PHP_VALUE: 96M 32759 true
PHP_ADMIN_VALUE (ini_set then refused): 80M %d false
the next request as before: true
fatal: 500, then 200
loop: 504 after about exec_timeout
then: 200
metrics: folk_fastcgi_requests_total{class="2xx"} %d, folk_fastcgi_requests_total{class="4xx"} 2, folk_fastcgi_requests_total{class="5xx"} 2, folk_fastcgi_connections 0, folk_fastcgi_aborted_total 1
during the stop: slow last
stopped: 0
