--TEST--
`folk serve --worker FILE --watch` watches the worker's directory: an edit of the code it loads at boot is served by the next requests
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/watch_app.php';
$dir = watch_app();
$port = folk_free_port();
$folk = dirname(__DIR__, 3) . '/bin/folk';
$log = tempnam(sys_get_temp_dir(), 'folk-cli-');
$env = ['FOLK_PHP' => PHP_BINARY, 'FOLK_EXTENSION' => folk_extension_path(), 'PATH' => getenv('PATH')];
$proc = proc_open([$folk, 'serve', '--worker', "$dir/worker.php", '--watch', "--listen=127.0.0.1:$port", '--workers', '2'],
                  [1 => ['file', $log, 'w'], 2 => ['file', $log, 'a']], $pipes, null, $env);
folk_wait_port($port, $proc, $log);
var_dump(folk_http($port, 'GET', '/')[2]);
if (!watch_started($log)) echo "the watcher did not start\n"; // the edit below must not come before it
file_put_contents("$dir/version.php", "<?php return 'v2';");
$t = watch_wait_body($port, '/', 'v2');
var_dump($t !== null && $t < 1.0);
[$code, $out] = folk_stop_server([$proc, $pipes, $port, $log, $log]);
var_dump($code, str_contains($out, 'watch: 1 file changed (version.php): reloading the workers'));
watch_app_remove($dir);
?>
--EXPECT--
string(2) "v1"
bool(true)
int(0)
bool(true)
