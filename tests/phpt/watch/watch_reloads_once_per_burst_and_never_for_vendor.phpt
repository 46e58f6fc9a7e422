--TEST--
Watch mode (inotify): an edited PHP file is served by the next requests within a second; 200 changed files give one reload that names a few of them; a change under vendor/ or to a file matching no pattern gives none
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/watch_app.php';
$dir = watch_app();
$srv = folk_start_server(['worker' => "$dir/worker.php", 'workers' => ['count' => 2], 'watch' => ['enabled' => true]]);
[, , $port, $log] = $srv;
var_dump(folk_http($port, 'GET', '/')[2]);
var_dump(watch_started($log));

file_put_contents("$dir/version.php", "<?php return 'v2';");
$t = watch_wait_body($port, '/', 'v2');
printf("v2 within 1s: %s\n", var_export($t !== null && $t < 1.0, true));
printf("edit seen after %.3f s\n", $t ?? -1);
usleep(300000);
var_dump(watch_reloads($log));

// A burst: 200 files in one go give one reload (after the debounce).
for ($i = 0; $i < 200; $i++) file_put_contents("$dir/src/F$i.php", "<?php // $i");
usleep(1500000);
var_dump(watch_reloads($log));
var_dump(preg_match('/watch: 200 files changed \(src\/F0\.php, src\/F1\.php, src\/F2\.php and 197 more\): reloading the workers/', file_get_contents($log)));

// Under vendor/, or no pattern: nothing.
file_put_contents("$dir/vendor/acme/lib.php", '<?php return 2;');
file_put_contents("$dir/vendor/acme/new.php", '<?php return 3;');
file_put_contents("$dir/notes.txt", 'not code');
usleep(800000);
var_dump(watch_reloads($log));
var_dump(folk_http($port, 'GET', '/')[2]);

[$code, $out] = folk_stop_server($srv);
var_dump($code);
watch_app_remove($dir);
?>
--EXPECTF--
string(2) "v1"
bool(true)
v2 within 1s: true
edit seen after %f s
int(1)
int(2)
int(1)
int(2)
string(2) "v2"
int(0)
