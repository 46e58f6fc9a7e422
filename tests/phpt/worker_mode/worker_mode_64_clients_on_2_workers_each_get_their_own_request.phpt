--TEST--
Worker mode: 64 concurrent clients on 2 workers, mixing GET, POST, cookies, uploads, sessions, status codes and headers; every response carries exactly its own request's data and nothing of another's
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$srv = folk_worker_mode(folk_report_worker(), [], ['workers' => ['count' => 2]]);
$port = $srv[2];
$bad = [];
$conns = [];
for ($i = 0; $i < 64; $i++) {
    $kind = $i % 4;
    $id = "c$i";
    $path = "/r?v=$id" . ($kind === 1 ? "&status=4" . str_pad((string) ($i % 10), 2, '0', STR_PAD_LEFT) : '') . ($kind === 2 ? "&session=$id&header=$id" : '') . ($kind === 3 ? "&ob=1&cookie=$id" : '');
    $headers = ['x-client' => $id, 'cookie' => "who=$id"];
    $body = '';
    if ($kind === 3) { [$body, $mh] = folk_multipart(['field' => $id], ['up' => ["$id.txt", 'text/plain', "data of $id"]]); $headers += $mh; }
    elseif ($kind === 2) { $body = http_build_query(['field' => $id]); $headers['content-type'] = 'application/x-www-form-urlencoded'; }
    $c = stream_socket_client("tcp://127.0.0.1:$port", $e, $es, 5);
    fwrite($c, folk_http_request($body === '' ? 'GET' : 'POST', $path, $headers + ['connection' => 'close'], $body));
    $conns[$id] = [$c, $kind];
}
foreach ($conns as $id => [$c, $kind]) {
    stream_set_timeout($c, 20);
    [$s, $h, $b] = folk_read_response($c);
    fclose($c);
    $r = json_decode($b, true) ?? [];
    $ok = ($r['get']['v'] ?? null) === $id && $r['cookie'] === ['who' => $id] && $r['http_x_client'] === $id && $r['server_mark'] === null;
    if ($kind === 1) $ok = $ok && $s >= 400 && $s < 410;
    else $ok = $ok && $s === 200;
    if ($kind === 2) $ok = $ok && $r['post'] === ['field' => $id] && $r['session_read'] === ['owner' => $id] && ($h['x-left'][0] ?? '') === $id;
    else $ok = $ok && !isset($h['x-left']);
    if ($kind === 3) $ok = $ok && $r['files']['up']['name'] === "$id.txt" && $r['uploaded']['up'] === true && str_contains(implode(',', $h['set-cookie'] ?? []), "left=$id");
    else $ok = $ok && $r['files'] === [] && !isset($h['set-cookie']) || ($kind === 2 && count($h['set-cookie'] ?? []) === 1);
    $ok = $ok && $r['session_status'] === PHP_SESSION_NONE && $r['ob_level'] === 1;
    if (!$ok) $bad[] = "$id ($kind): $s " . substr($b, 0, 300);
}
echo $bad ? implode("\n", $bad) . "\n" : "64 responses, each its own\n";
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
64 responses, each its own
int(0)
