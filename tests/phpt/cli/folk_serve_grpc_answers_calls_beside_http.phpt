--TEST--
`folk serve --worker FILE --grpc ADDR` serves gRPC calls to the worker's handler (method "grpc") beside HTTP on --listen; SIGTERM stops it with exit 0
--SKIPIF--
<?php
if (!function_exists('posix_kill')) die('skip needs posix to signal the server');
require __DIR__ . '/../../fixtures/grpc_harness.php';
if ($why = grpc_unavailable()) die("skip $why");
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/grpc_harness.php';
$dir = sys_get_temp_dir() . '/folk-cli-grpc-' . getmypid();
@mkdir($dir);
file_put_contents("$dir/worker.php", '<?php Folk\Worker::serve(fn ($m, $p) => $m === "grpc" ? strrev($p["message"]) : "http hello");');
[$http, $grpc] = [folk_free_port(), folk_free_port()];
$folk = dirname(__DIR__, 3) . '/bin/folk';
$log = tempnam(sys_get_temp_dir(), 'folk-cli-');
$env = ['FOLK_PHP' => PHP_BINARY, 'FOLK_EXTENSION' => folk_extension_path(), 'PATH' => getenv('PATH'), 'HOME' => getenv('HOME')];
$proc = proc_open([$folk, 'serve', '--worker', "$dir/worker.php", '--listen', "127.0.0.1:$http", '--grpc', "127.0.0.1:$grpc", '--workers', '1'],
    [1 => ['file', $log, 'w'], 2 => ['file', $log, 'a']], $pipes, null, $env);
folk_wait_port($grpc, $proc, $log);
echo grpc_py($grpc, "print(ch.unary_unary('/any.Service/Reverse')(b'olleh'))");
echo folk_http($http, 'GET', '/')[2], "\n";
[$code] = folk_stop_server([$proc, $pipes, $grpc, $log, $log]);
var_dump($code);
unlink("$dir/worker.php");
rmdir($dir);
?>
--EXPECT--
b'hello'
http hello
int(0)
