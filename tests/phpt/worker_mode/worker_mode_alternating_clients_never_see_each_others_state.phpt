--TEST--
Worker mode: two clients alternate on one worker thread; each request sees only its own superglobals, php://input, uploads, status, headers, output buffers, session and filter_input(), whatever the previous request left behind
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$srv = folk_worker_mode(folk_report_worker());
$port = $srv[2];
$problems = [];
$check = function (string $who, bool $ok, string $what) use (&$problems) { if (!$ok) $problems[] = "$who: $what"; };
$tmpSeen = [];
for ($round = 1; $round <= 3; $round++) {
    // A: everything a request can carry, and everything it can leave behind.
    [$body, $mh] = folk_multipart(['field' => "a$round"], ['up' => ['a.txt', 'text/plain', "upload $round"]]);
    $q = "v=a$round&session=A$round&status=404&header=A$round&cookie=A$round&mark=A$round&request=1&ob=1&big=8";
    [$s, $h, $a] = folk_report($port, 'POST', "/a?$q", $mh + ['cookie' => "ca=$round", 'x-client' => 'A'], $body);
    $check("A$round", $s === 404, "status $s");
    $check("A$round", ($a['post']['field'] ?? null) === "a$round" && ($a['get']['v'] ?? null) === "a$round", 'own GET/POST');
    $check("A$round", ($a['cookie']['ca'] ?? null) === (string) $round && $a['http_x_client'] === 'A', 'own cookie and header');
    $check("A$round", ($a['files']['up']['size'] ?? 0) === strlen("upload $round") && $a['uploaded']['up'] === true, 'own upload');
    $check("A$round", $a['filter_get'] === "a$round", 'filter_input sees this request');
    $check("A$round", ($a['session_read']['owner'] ?? null) === "A$round", 'own session');
    $check("A$round", in_array("X-Left: A$round", $h['x-left'] ?? [], true) || ($h['x-left'][0] ?? '') === "A$round", 'header sent');
    $tmpSeen[] = $a['tmp_exists']['up'];

    // B: a bare GET right after, on the same (only) worker thread.
    [$s, $h, $b] = folk_report($port, 'GET', '/b', ['x-other' => '1']);
    $check("B$round", $s === 200, "status $s (the previous 404 carried over)");
    $check("B$round", $b['served'] === 2 * $round, "served by the same worker ({$b['served']})");
    foreach (['get', 'post', 'cookie', 'files', 'request'] as $k) $check("B$round", $b[$k] === [], "\$_" . strtoupper($k) . ' not empty: ' . json_encode($b[$k]));
    $check("B$round", $b['server_mark'] === null && $b['http_x_client'] === null, '$_SERVER kept the previous request');
    $check("B$round", $b['input'] === '' && $b['input_again'] === '', 'php://input kept the previous body');
    $check("B$round", $b['status'] === 200 || $b['status'] === false, 'http_response_code() kept ' . json_encode($b['status']));
    $check("B$round", !preg_grep('/^X-Left|^Set-Cookie/i', $b['headers']), 'headers kept: ' . json_encode($b['headers']));
    $check("B$round", !isset($h['x-left']) && !isset($h['set-cookie']), 'response headers kept');
    $check("B$round", $b['headers_sent'] === false, 'headers_sent() stayed true');
    $check("B$round", $b['ob_level'] === 1, "ob level {$b['ob_level']} (a buffer left open survived)");
    $check("B$round", $b['session_status'] === PHP_SESSION_NONE && !$b['session_global'] && $b['session_id'] === '', 'session state kept');
    $check("B$round", $b['filter_get'] === null, 'filter_input() saw the previous request');
    $check("B$round", $b['peak_mib'] < 8, "peak memory not reset ({$b['peak_mib']} MiB)");
    $check("B$round", $b['sapi'] === 'fpm-fcgi' && $b['sapi_fn'] === 'fpm-fcgi' && !$b['argv'], 'web SAPI, no argv');
}
foreach ($tmpSeen as $t) $check('uploads', !file_exists($t), "temp file $t left behind");
[$code] = folk_stop_server($srv);
echo $problems ? implode("\n", $problems) . "\n" : "isolated\n";
var_dump($code);
?>
--EXPECT--
isolated
int(0)
