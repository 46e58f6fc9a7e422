--TEST--
Behind Debian's nginx over FastCGI, worker mode hands each request to the booted worker: handleRequest() sees the CGI variables nginx sent (as php-fpm's script would), $_POST and its status and headers reach the client, the worker stays booted across requests, a fatal error answers 500 and the next request is served; serve()'s payload API gets the same request
--SKIPIF--
<?php require __DIR__ . "/../../fixtures/fpm_reference.php"; if ($why = fpm_reference_unavailable()) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/fpm_reference.php';
$dump = '<?php $keys = ["SCRIPT_FILENAME", "SCRIPT_NAME", "PATH_INFO", "PHP_SELF", "REQUEST_URI", "QUERY_STRING", "DOCUMENT_ROOT", "DOCUMENT_URI", "HTTP_HOST", "HTTP_X_THING", "REQUEST_METHOD", "CONTENT_TYPE", "SERVER_PROTOCOL", "REMOTE_ADDR", "FCGI_ROLE", "REDIRECT_STATUS", "GATEWAY_INTERFACE"];
    $out = []; foreach ($keys as $k) $out[$k] = $_SERVER[$k] ?? "(none)";
    echo json_encode($out + ["get" => $_GET, "post" => $_POST], JSON_UNESCAPED_SLASHES), "\n";';
$root = realpath(folk_docroot(['index.php' => $dump, 'app.php' => $dump]));
$worker = tempnam(sys_get_temp_dir(), 'folk-fcgi-worker-') . '.php';
file_put_contents($worker, '<?php $booted = 0; while (Folk\Worker::handleRequest(function () use (&$booted) {
    $booted++;
    if (isset($_GET["die"])) trigger_error("a fatal error", E_USER_ERROR);
    if (isset($_GET["teapot"])) { http_response_code(418); header("X-Served: worker"); }
    echo "served $booted by this worker\n";
    require $_SERVER["SCRIPT_FILENAME"];
})) {}');
$serve = tempnam(sys_get_temp_dir(), 'folk-fcgi-serve-') . '.php';
file_put_contents($serve, '<?php Folk\Worker::serve(fn (string $method, array $r) => ["status" => 201, "headers" => ["X-Api" => "serve"],
    "body" => json_encode([$method, $r["method"], $r["path"], $r["query"], $r["headers"]["x-thing"], $r["body"]], JSON_UNESCAPED_SLASHES)]);');

$ini = fpm_shared_ini(sys_get_temp_dir());
$runs = [];
foreach (['handleRequest' => $worker, 'serve' => $serve] as $mode => $script) {
    $port = folk_free_port();
    $folk = folk_start_server(['worker' => $script, 'workers' => ['count' => 1], 'server' => ['main_worker' => false],
        'http' => ['enabled' => false], 'fastcgi' => ['listen' => "127.0.0.1:$port"]], [], $ini, false);
    folk_wait_port($port, $folk[0], $folk[3]);
    $runs[$mode] = ['folk' => $folk, 'nginx' => fpm_nginx_start($root, fpm_run_dir(), "127.0.0.1:$port", [])];
}
$fpm = fpm_start($root, $ini);

$w = $runs['handleRequest']['nginx']['port'];
$requests = [
    ['GET', '/app.php/extra?a=1', ['x-thing' => 'v'], ''],
    ['GET', '/some/route?page=2', [], ''],
    ['POST', '/app.php', ['content-type' => 'application/x-www-form-urlencoded'], 'name=folk&n=2'],
];
foreach ($requests as [$method, $path, $headers, $body]) {
    $folk = folk_http($w, $method, $path, $headers, $body);
    $ref = folk_http($fpm['port'], $method, $path, $headers, $body);
    [$served, $vars] = explode("\n", $folk[2], 2);
    echo "$method $path: $folk[0], $served; \$_SERVER and input ", $vars === $ref[2] ? "as php-fpm's script sees them" : "DIFFER:\n  folk $vars  fpm  $ref[2]", "\n";
}
$t = folk_http($w, 'GET', '/app.php?teapot=1');
echo "status and header: $t[0] ", $t[1]['x-served'][0] ?? '(none)', "\n";
echo "fatal error: ", folk_http($w, 'GET', '/app.php?die=1')[0], "\n";
$next = folk_http($w, 'GET', '/app.php');
echo "next: $next[0], ", strtok($next[2], "\n"), "\n";

$s = folk_http($runs['serve']['nginx']['port'], 'POST', '/api/items?x=1', ['x-thing' => 'v', 'content-type' => 'text/plain'], 'payload');
echo "serve(): $s[0] ", $s[1]['x-api'][0] ?? '(none)', " $s[2]\n";

fpm_stop($fpm);
foreach ($runs as $run) {
    fpm_stop($run['nginx']);
    folk_stop_server($run['folk']);
}
unlink($worker);
unlink($serve);
?>
--EXPECT--
GET /app.php/extra?a=1: 200, served 1 by this worker; $_SERVER and input as php-fpm's script sees them
GET /some/route?page=2: 200, served 2 by this worker; $_SERVER and input as php-fpm's script sees them
POST /app.php: 200, served 3 by this worker; $_SERVER and input as php-fpm's script sees them
status and header: 418 worker
fatal error: 500
next: 200, served 1 by this worker
serve(): 201 serve ["http","POST","/api/items","x=1",["v"],"payload"]
