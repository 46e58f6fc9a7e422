--TEST--
`folk serve ROOT --worker FILE --listen ADDR --workers N` serves ROOT's files and sends other requests to the worker; SIGTERM stops it with exit 0
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/docroot.php';
$root = folk_docroot(['hello.txt' => 'static hello']);
$port = folk_free_port();
$folk = dirname(__DIR__, 3) . '/bin/folk';
$log = tempnam(sys_get_temp_dir(), 'folk-cli-');
$env = ['FOLK_PHP' => PHP_BINARY, 'FOLK_EXTENSION' => folk_extension_path(), 'PATH' => getenv('PATH')];
$proc = proc_open([$folk, 'serve', $root, '--worker', dirname(__DIR__, 2) . '/fixtures/worker_http.php',
                   "--listen=127.0.0.1:$port", '--workers', '1'], [1 => ['file', $log, 'w'], 2 => ['file', $log, 'a']], $pipes, null, $env);
folk_wait_port($port, $proc, $log);
[$s, , $b] = folk_http($port, 'GET', '/hello.txt');
var_dump($s, $b);
[$s, , $b] = folk_http($port, 'GET', '/');
var_dump($s, $b);
[$code] = folk_stop_server([$proc, $pipes, $port, $log, $log]);
var_dump($code);
?>
--EXPECT--
int(200)
string(12) "static hello"
int(200)
string(13) "Hello, World!"
int(0)
