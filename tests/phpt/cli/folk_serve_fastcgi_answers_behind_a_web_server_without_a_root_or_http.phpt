--TEST--
`folk serve --fastcgi ADDR` (no root, no --listen) answers FastCGI only, running the script the web server names, and serves no HTTP; SIGTERM stops it with exit 0
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/fastcgi_client.php';
require __DIR__ . '/../../fixtures/docroot.php';
$root = realpath(folk_docroot(['hi.php' => '<?php echo "hi from ", $_SERVER["SCRIPT_NAME"], " via ", PHP_SAPI;']));
$port = folk_free_port();
$folk = dirname(__DIR__, 3) . '/bin/folk';
$log = tempnam(sys_get_temp_dir(), 'folk-cli-');
$env = ['FOLK_PHP' => PHP_BINARY, 'FOLK_EXTENSION' => folk_extension_path(), 'PATH' => getenv('PATH')];
$proc = proc_open([$folk, 'serve', '--fastcgi', "127.0.0.1:$port", '--workers', '1'], [1 => ['file', $log, 'w'], 2 => ['file', $log, 'a']], $pipes, null, $env);
folk_wait_port($port, $proc, $log);
[$status, , $body] = fcgi_ask("tcp://127.0.0.1:$port", fcgi_params($root, '/hi.php'));
echo "$status $body\n";
[$code, $out] = folk_stop_server([$proc, $pipes, $port, $log, $log]);
echo "HTTP server: ", str_contains($out, 'HTTP server listening') ? "started" : "none", ", FastCGI: ", str_contains($out, 'FastCGI server listening') ? "started" : "none", "\n";
var_dump($code);
?>
--EXPECT--
200 hi from /hi.php via fpm-fcgi
HTTP server: none, FastCGI: started
int(0)
