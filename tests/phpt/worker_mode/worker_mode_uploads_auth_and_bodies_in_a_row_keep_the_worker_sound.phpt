--TEST--
Worker mode: hundreds of requests in a row on one worker mixing multipart uploads, Basic auth, JSON bodies and bare GETs keep it sound and each answer its own
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$worker = <<<'PHP'
<?php
$boot = bin2hex(random_bytes(3));
while (Folk\Worker::handleRequest(function () use ($boot) {
    echo $boot, ' ', $_SERVER['PHP_AUTH_USER'] ?? '-', ' ', count($_FILES), ' ', strlen(file_get_contents('php://input')), ' ', $_SERVER['CONTENT_TYPE'] ?? '-';
})) {}
PHP;
$srv = folk_worker_mode($worker);
[$up, $mh] = folk_multipart(['f' => 'v'], ['up' => ['a.txt', 'text/plain', str_repeat('u', 3000)]]);
$kinds = [
    ['POST', $mh, $up, fn ($b) => preg_match('/^\w+ - 1 0 multipart\/form-data/', $b)],
    ['GET', ['authorization' => 'Basic ' . base64_encode('ada:pw')], '', fn ($b) => preg_match('/^\w+ ada 0 0 $/', $b)],
    ['PUT', ['content-type' => 'application/json'], '{"a":1}', fn ($b) => preg_match('/^\w+ - 0 7 application\/json$/', $b)],
    ['GET', [], '', fn ($b) => preg_match('/^\w+ - 0 0 $/', $b)],
];
$bad = 0; $boots = [];
for ($i = 0; $i < 400; $i++) {
    [$m, $h, $body, $ok] = $kinds[$i % 4];
    [$s, , $b] = folk_http($srv[2], $m, '/', $h, $body);
    if ($s !== 200 || !$ok($b)) { if ($bad++ < 3) echo "request $i ($m): $s $b\n"; }
    $boots[explode(' ', $b)[0]] = true;
}
echo "$bad bad answers, ", count($boots), " boot(s)\n";
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
0 bad answers, 1 boot(s)
int(0)
