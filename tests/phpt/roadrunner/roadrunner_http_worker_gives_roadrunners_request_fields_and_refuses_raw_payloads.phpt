--TEST--
Spiral\RoadRunner\Http\HttpWorker under folk: waitRequest() gives RoadRunner's Request (remote address, protocol, method, absolute URI, canonical headers, cookies, query, a form as parsed JSON, uploads with name, mime, size, error and tmpName); respond() sends a status, a body (a generator's chunks and return value in order) and headers; stop() ends the loop and the worker is replaced; raw payloads (waitPayload(), respond(Payload)) and respond() with no request open throw a RoadRunnerException saying why
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$worker = <<<'PHP'
<?php
use Spiral\RoadRunner;

$worker = RoadRunner\Worker::create();
$boot = [];
try { $worker->waitPayload(); } catch (RoadRunner\Exception\RoadRunnerException $e) { $boot[] = $e->getMessage(); }
try { $worker->respond(new RoadRunner\Payload('body')); } catch (RoadRunner\Exception\RoadRunnerException $e) { $boot[] = get_class($e); }
$http = new RoadRunner\Http\HttpWorker($worker);
try { $http->respond(200, 'nobody asked'); } catch (RoadRunner\Exception\RoadRunnerException $e) { $boot[] = $e->getMessage(); }
$n = 0;
while ($req = $http->waitRequest()) {
    $n++;
    switch (parse_url($req->uri, PHP_URL_PATH)) {
        case '/request':
            $uploads = array_map(fn($u) => ['tmpName' => is_file($u['tmpName']) ? 'a readable file' : $u['tmpName']] + $u, $req->uploads);
            $http->respond(200, json_encode(['remoteAddr' => $req->getRemoteAddr(), 'protocol' => $req->protocol, 'method' => $req->method,
                'uri' => preg_replace('/:\d+/', ':PORT', $req->uri), 'x-test' => $req->headers['X-Test'] ?? null,
                'content-type' => $req->headers['Content-Type'][0] ?? null, 'cookies' => $req->cookies, 'query' => $req->query,
                'parsed' => $req->parsed, 'parsedBody' => $req->getParsedBody(), 'body' => $req->parsed ? null : $req->body, 'uploads' => $uploads,
                'n' => $n], JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), ['Content-Type' => ['application/json'], 'X-Many' => ['a', 'b']]);
            break;
        case '/boot':
            $http->respond(200, implode("\n", $boot));
            break;
        case '/stream':
            $http->respond(206, (function () { yield "one\n"; yield "two\n"; return "the end\n"; })(), ['X-Stream' => 'yes']);
            break;
        case '/stop':
            $worker->stop();
            $http->respond(200, "stopping after $n");
            break;
    }
}
PHP;
$srv = folk_worker_mode($worker, [], ['http' => ['roadrunner_compat' => true]]);
$port = $srv[2];
[$s, , $b] = folk_http($port, 'GET', '/boot');
echo "$s\n$b\n";
[$s, $h, $b] = folk_http($port, 'GET', '/request?a=1&b[]=2', ['x-test' => 'yes', 'cookie' => 'k=v']);
echo "$s ", implode(',', $h['x-many']), "\n$b\n";
[$s, , $b] = folk_http($port, 'POST', '/request', ['content-type' => 'application/x-www-form-urlencoded'], 'name=Ada&tags[]=x');
$r = json_decode($b, true);
echo "$s form: parsed ", var_export($r['parsed'], true), ', ', json_encode($r['parsedBody']), "\n";
[$s, , $b] = folk_http($port, 'PUT', '/request', ['content-type' => 'text/plain'], 'raw body');
$r = json_decode($b, true);
echo "$s raw: parsed ", var_export($r['parsed'], true), ', ', json_encode($r['body']), "\n";
[$body, $headers] = folk_multipart(['title' => 'report'], ['doc' => ['notes.txt', 'text/plain', 'twelve bytes']]);
[$s, , $b] = folk_http($port, 'POST', '/request', $headers, $body);
echo "$s upload: ", json_encode(json_decode($b, true)['uploads'], JSON_UNESCAPED_SLASHES), "\n";
[$s, $h, $b] = folk_http($port, 'GET', '/stream');
echo "$s X-Stream ", $h['x-stream'][0] ?? 'missing', ': ', json_encode($b), "\n";
[$s, , $b] = folk_http($port, 'GET', '/stop');
echo "$s $b\n";
[$s, , $b] = folk_http($port, 'GET', '/request');
echo "then: $s, the new worker's request number ", json_decode($b, true)['n'], "\n";
[$code, $log] = folk_stop_server($srv);
var_dump($code, str_contains($log, 'worker script ended; the worker is replaced'));
?>
--EXPECT--
200
Spiral\RoadRunner\Worker::waitPayload() is not supported under folk: folk serves HTTP requests to RoadRunner worker scripts through Spiral\RoadRunner\Http\PSR7Worker or HttpWorker, and has no raw payloads (jobs run with Folk\Worker::waitRequest($jobs) or Folk\Worker::serve())
Spiral\RoadRunner\Exception\RoadRunnerException
Spiral\RoadRunner\Http\HttpWorker::respond() was called with no request open: call it once for each request waitRequest() returned
200 a,b
{
    "remoteAddr": "127.0.0.1",
    "protocol": "HTTP/1.1",
    "method": "GET",
    "uri": "http://127.0.0.1/request?a=1&b[]=2",
    "x-test": [
        "yes"
    ],
    "content-type": null,
    "cookies": {
        "k": "v"
    },
    "query": {
        "a": "1",
        "b": [
            "2"
        ]
    },
    "parsed": false,
    "parsedBody": null,
    "body": "",
    "uploads": [],
    "n": 2
}
200 form: parsed true, {"name":"Ada","tags":["x"]}
200 raw: parsed false, "raw body"
200 upload: {"doc":{"tmpName":"a readable file","name":"notes.txt","mime":"text/plain","size":12,"error":0}}
206 X-Stream yes: "one\ntwo\nthe end\n"
200 stopping after 7
then: 200, the new worker's request number 1
int(0)
bool(true)
