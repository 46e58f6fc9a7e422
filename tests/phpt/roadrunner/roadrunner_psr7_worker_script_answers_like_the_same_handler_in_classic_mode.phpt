--TEST--
A RoadRunner PSR-7 worker script over a plain nyholm/psr7 handler (http.roadrunner_compat) gives the same status, headers and body as the same handler run per request in classic mode: the request's method, URI, protocol, query, cookies, headers, form and raw bodies and an upload, and a response's status, reason, repeated headers, redirect and 404
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('slim')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
$app = dirname(__DIR__, 2) . '/fixtures/apps/psr7';
$ini = ['display_errors' => '0', 'log_errors' => '1', 'output_buffering' => '4096'];
$worker = folk_start_server(['worker' => "$app/roadrunner.php", 'workers' => ['count' => 1], 'server' => ['main_worker' => false],
    'http' => ['root' => "$app/public", 'roadrunner_compat' => true]], [], $ini);
$classic = folk_start_server(['worker' => null, 'workers' => ['count' => 1], 'http' => ['root' => "$app/public"]], [], $ini);
[$upload, $uploadHeaders] = folk_multipart(['title' => 'report'], ['doc' => ['notes.txt', 'text/plain', str_repeat("line of text\n", 300)]]);
$walk = fn(int $port) => [
    ['hello', folk_http($port, 'GET', '/hello')],
    ['query, cookies, a header', folk_http($port, 'GET', '/request?a=1&b[]=2&b[]=3', ['x-test' => 'yes', 'cookie' => 'k=v; z=1'])],
    ['form post', folk_http($port, 'POST', '/request', ['content-type' => 'application/x-www-form-urlencoded'], 'name=Ada&tags[]=x&tags[]=y')],
    ['json post', folk_http($port, 'POST', '/request', ['content-type' => 'application/json'], '{"a":[1,2],"b":"ü"}')],
    ['status, reason, repeated headers', folk_http($port, 'GET', '/headers')],
    ['upload', folk_http($port, 'POST', '/upload', $uploadHeaders, $upload)],
    ['redirect', folk_http($port, 'GET', '/redirect')],
    ['404', folk_http($port, 'GET', '/no/such/page')],
];
$w = $walk($worker[2]);
fw_compare_walks($w, $walk($classic[2]));
[, $h, $b] = $w[4][1];
echo $w[4][1][0], ' ', implode(' | ', $h['set-cookie'] ?? []), "\n";
echo 'upload: ', json_decode($w[5][1][2], true)['sha1'] === sha1(str_repeat("line of text\n", 300)) ? 'the file arrived whole' : 'THE FILE DIFFERS', "\n";
folk_stop_server($classic);
[$code, $log] = folk_stop_server($worker);
echo "worker server exit $code", str_contains($log, 'panicked') ? ", RUST PANIC" : '', "\n";
?>
--EXPECT--
same: hello
same: query, cookies, a header
same: form post
same: json post
same: status, reason, repeated headers
same: upload
same: redirect
same: 404
201 a=1; Path=/ | b=2; Path=/
upload: the file arrived whole
worker server exit 0
