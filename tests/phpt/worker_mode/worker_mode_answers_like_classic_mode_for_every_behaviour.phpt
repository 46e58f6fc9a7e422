--TEST--
The same scripts give the same response (status, headers except Date, body) in classic mode and in worker mode, for every behaviour classic mode pins: superglobals, php://input, uploads, headers, status codes, redirects, cookies, sessions, output buffering, exit(), CGI variables, getallheaders(), Basic auth, PATH_INFO, fastcgi_finish_request(), flush(), fatal errors
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$scripts = [
    'superglobals.php' => '<?php ksort($_REQUEST); echo json_encode([$_GET, $_POST, $_COOKIE, $_REQUEST]);',
    'input.php' => '<?php echo file_get_contents("php://input"), "|", file_get_contents("php://input");',
    'upload.php' => '<?php $f = $_FILES["up"]; echo json_encode([$f["name"], $f["type"], $f["size"], $f["error"], is_uploaded_file($f["tmp_name"]), file_get_contents($f["tmp_name"]), $_POST]);',
    'headers.php' => '<?php header("X-A: 1"); header("X-A: 2"); header("X-B: 1"); header("X-B: 2", false); header("X-C: gone"); header_remove("X-C"); echo json_encode(headers_list());',
    'status.php' => '<?php $old = http_response_code(418); echo json_encode([$old, http_response_code()]);',
    'status_header.php' => '<?php header("Status: 404 Not Found"); echo "missing";',
    'redirect.php' => '<?php header("Location: /elsewhere"); echo "moved";',
    'cookies.php' => '<?php setcookie("plain", "a b;c", ["expires" => 1893456000, "path" => "/p", "samesite" => "Lax", "httponly" => true]); setrawcookie("raw", "x%20y"); setcookie("gone", ""); echo "cookies";',
    'session.php' => '<?php session_start(); $_SESSION["n"] = ($_SESSION["n"] ?? 0) + 1; echo $_SESSION["n"];',
    'buffered.php' => '<?php echo "early output "; header("X-Late: yes"); echo json_encode([ob_get_level(), headers_sent()]);',
    'nested_ob.php' => '<?php ob_start(); echo "inner"; $x = ob_get_clean(); ob_start(); echo strtoupper($x);',
    'exit.php' => '<?php http_response_code(201); header("X-Exit: 1"); echo "before exit"; exit(); echo "after";',
    'cgi.php' => '<?php $k = ["REQUEST_METHOD","REQUEST_URI","QUERY_STRING","SCRIPT_NAME","PHP_SELF","PATH_INFO","SERVER_PROTOCOL","GATEWAY_INTERFACE","SERVER_NAME","SERVER_PORT","REMOTE_ADDR","HTTP_HOST","HTTP_X_CUSTOM","CONTENT_TYPE","CONTENT_LENGTH","HTTPS","REQUEST_SCHEME","HTTP_PROXY","argv","argc","DOCUMENT_URI"]; $o = []; foreach ($k as $n) $o[$n] = $_SERVER[$n] ?? null; $o["SCRIPT_FILENAME"] = basename($_SERVER["SCRIPT_FILENAME"]); $o["DOCUMENT_ROOT"] = $_SERVER["DOCUMENT_ROOT"] === realpath(__DIR__); $o["time"] = is_int($_SERVER["REQUEST_TIME"]) && is_float($_SERVER["REQUEST_TIME_FLOAT"]); $o["sapi"] = PHP_SAPI; $o["env"] = [$_SERVER["APP_COMPARE_ENV"] ?? null, getenv("APP_COMPARE_ENV")]; echo json_encode($o);',
    'allheaders.php' => '<?php $h = getallheaders(); ksort($h); echo json_encode($h);',
    'auth.php' => '<?php echo json_encode([$_SERVER["PHP_AUTH_USER"] ?? null, $_SERVER["PHP_AUTH_PW"] ?? null]);',
    'finish.php' => '<?php echo "answered"; fastcgi_finish_request(); echo "dropped";',
    'flush.php' => '<?php while (ob_get_level()) ob_end_flush(); echo "a"; flush(); echo "b";',
    'fatal.php' => '<?php echo "secret"; trigger_error("bad", E_USER_ERROR);',
    'no_type.php' => '<?php header_remove("Content-Type"); ini_set("default_mimetype", ""); echo "untyped";',
    'json.php' => '<?php header("Content-Type: application/json"); echo json_encode(["ok" => true]);',
];
$worker = <<<'PHP'
<?php
while (Folk\Worker::handleRequest(function () {
    require $_SERVER['SCRIPT_FILENAME'];
})) {}
PHP;
[$up, $mh] = folk_multipart(['f' => 'v'], ['up' => ['n.txt', 'text/plain', 'uploaded bytes']]);
$form = ['content-type' => 'application/x-www-form-urlencoded', 'cookie' => 'c1=v1; c2=v2'];
$requests = [
    ['GET', '/superglobals.php?a=1&b[]=2&b[]=3', $form, ''],
    ['POST', '/superglobals.php?a=1', $form, 'p=2&a=post'],
    ['PUT', '/input.php', ['content-type' => 'application/json'], '{"x":1}'],
    ['POST', '/upload.php', $mh, $up],
    ['GET', '/headers.php', [], ''],
    ['GET', '/status.php', [], ''],
    ['GET', '/status_header.php', [], ''],
    ['GET', '/redirect.php', [], ''],
    ['POST', '/redirect.php', $form, 'x=1'],
    ['GET', '/cookies.php', [], ''],
    ['GET', '/session.php', [], ''],
    ['GET', '/session.php', ['cookie' => 'PHPSESSID=SESSION'], ''],
    ['GET', '/buffered.php', [], ''],
    ['GET', '/nested_ob.php', [], ''],
    ['GET', '/exit.php', [], ''],
    ['GET', '/cgi.php/extra/info?q=1', ['x-custom' => 'c', 'proxy' => 'http://evil'], ''],
    ['POST', '/cgi.php', $form, 'a=1'],
    ['GET', '/allheaders.php', ['x-one' => '1', 'accept' => 'text/plain'], ''],
    ['GET', '/auth.php', ['authorization' => 'Basic ' . base64_encode('ada:s3cret')], ''],
    ['GET', '/finish.php', [], ''],
    ['GET', '/flush.php', [], ''],
    ['GET', '/fatal.php', [], ''],
    ['GET', '/no_type.php', [], ''],
    ['GET', '/json.php', [], ''],
    ['HEAD', '/json.php', [], ''],
];
$normalise = function (array $h): array {
    // Date and a cookie's Max-Age follow the clock; session ids are random.
    unset($h['date']);
    foreach ($h as $k => $vs) foreach ($vs as $i => $v) $h[$k][$i] = preg_replace(['/PHPSESSID=[0-9a-z,-]+/', '/Max-Age=[1-9]\d*/'], ['PHPSESSID=*', 'Max-Age=N'], $v);
    ksort($h);
    return $h;
};
$answers = [];
// One port for both servers, so SERVER_PORT and Host agree.
$port = folk_free_port();
foreach (['classic' => ['worker' => null], 'worker' => ['worker' => true]] as $mode => $opt) {
    $root = folk_docroot($scripts + ['worker.php' => $worker]);
    $options = ['workers' => ['count' => 1], 'server' => ['main_worker' => false], 'http' => ['root' => $root, 'listen' => "127.0.0.1:$port"], 'worker' => $opt['worker'] ? "$root/worker.php" : null];
    // A session id that no earlier run has stored.
    $sid = 'folk' . bin2hex(random_bytes(8));
    $srv = folk_start_server($options, ['APP_COMPARE_ENV' => 'from the environment']);
    foreach ($requests as $i => [$m, $p, $h, $b]) {
        if (isset($h['cookie']) && $h['cookie'] === 'PHPSESSID=SESSION') $h['cookie'] = "PHPSESSID=$sid";
        [$s, $hh, $body] = folk_http($srv[2], $m, $p, $h, $b);
        $answers[$mode][$i] = [$s, $normalise($hh), $body];
    }
    folk_stop_server($srv);
}
$same = 0;
foreach ($requests as $i => [$m, $p]) {
    if ($answers['classic'][$i] === $answers['worker'][$i]) { $same++; continue; }
    echo "$m $p differs:\n  classic: ", json_encode($answers['classic'][$i]), "\n  worker:  ", json_encode($answers['worker'][$i]), "\n";
}
echo "$same of ", count($requests), " responses identical\n";
// And they are what classic mode is pinned to give, not merely equal.
var_dump($answers['worker'][7][0], $answers['worker'][14][0], $answers['worker'][14][2], $answers['worker'][21][0], json_decode($answers['worker'][15][2], true)['sapi'], json_decode($answers['worker'][15][2], true)['env']);
?>
--EXPECT--
25 of 25 responses identical
int(302)
int(201)
string(11) "before exit"
int(500)
string(8) "fpm-fcgi"
array(2) {
  [0]=>
  string(20) "from the environment"
  [1]=>
  string(20) "from the environment"
}
