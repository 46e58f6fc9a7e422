--TEST--
Worker mode with http.root: existing static files are sent by Rust without reaching the worker; every other path reaches the worker as the front controller (SCRIPT_NAME /index.php, PATH_INFO after an explicit /index.php/...), as nginx's try_files in front of php-fpm
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$worker = <<<'PHP'
<?php
$n = 0;
while (Folk\Worker::handleRequest(function () use (&$n) {
    $n++;
    echo json_encode([$n, $_SERVER['SCRIPT_NAME'], basename($_SERVER['SCRIPT_FILENAME']), $_SERVER['PATH_INFO'] ?? '', $_SERVER['REQUEST_URI'], $_SERVER['DOCUMENT_ROOT'] === realpath(__DIR__)]);
})) {}
PHP;
$srv = folk_worker_mode($worker, ['index.php' => '<?php echo "never run";', 'app.css' => 'body{}'], ['http' => ['root' => true]]);
$port = $srv[2];
[$s, $h, $b] = folk_http($port, 'GET', '/app.css');
echo "$s $b {$h['content-type'][0]}\n";
foreach (['/blog/hello?x=1', '/index.php/extra/path', '/'] as $p) { [$s, , $b] = folk_http($port, 'GET', $p); echo "$s $b\n"; }
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
200 body{} text/css
200 [1,"\/index.php","index.php","","\/blog\/hello?x=1",true]
200 [2,"\/index.php","index.php","\/extra\/path","\/index.php\/extra\/path",true]
200 [3,"\/index.php","index.php","","\/",true]
int(0)
