--TEST--
Watch mode: watch.poll picks up an edit without inotify; in classic mode an edited script cached by OPcache is served new within a second; OPcache with validate_timestamps=0 is refused with a message naming the directive
--SKIPIF--
<?php if (!function_exists('opcache_get_status')) echo 'skip needs OPcache';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/watch_app.php';

// Polling: the reload comes from comparing mtimes every 100ms.
$dir = watch_app();
$srv = folk_start_server(['worker' => "$dir/worker.php", 'workers' => ['count' => 2], 'watch' => ['enabled' => true, 'poll' => '100ms']]);
if (!watch_started($srv[3])) echo "the watcher did not start\n"; // the edits below must not come before it
[, , $port, $log] = $srv;
var_dump(folk_http($port, 'GET', '/')[2]);
var_dump(str_contains(file_get_contents($log), 'mode=polling every 100ms') || str_contains(file_get_contents($log), 'polling every 100ms'));
file_put_contents("$dir/version.php", "<?php return 'v2';");
$t = watch_wait_body($port, '/', 'v2');
printf("poll: v2 within 1s: %s\n", var_export($t !== null && $t < 1.0, true));
printf("poll: edit seen after %.3f s\n", $t ?? -1);
var_dump(watch_reloads($log));
folk_stop_server($srv);

// Classic mode: index.php is compiled and cached by OPcache (its mtime is old);
// the edit must be seen although opcache.revalidate_freq is 2 s.
$srv = folk_start_server(['worker' => null, 'http' => ['root' => $dir], 'workers' => ['count' => 2], 'watch' => ['enabled' => true]], [], ['opcache.enable_cli' => 1, 'opcache.revalidate_freq' => 2]);
if (!watch_started($srv[3])) echo "the watcher did not start\n"; // the edits below must not come before it
[, , $port, $log] = $srv;
var_dump(folk_http($port, 'GET', '/index.php')[2], folk_http($port, 'GET', '/index.php')[2]);
file_put_contents("$dir/index.php", "<?php echo 'v2';");
$t = watch_wait_body($port, '/index.php', 'v2');
printf("classic: v2 within 1s: %s\n", var_export($t !== null && $t < 1.0, true));
printf("classic: edit seen after %.3f s\n", $t ?? -1);
folk_stop_server($srv);

// validate_timestamps=0: OPcache would never look at the files again.
$srv = folk_start_server(['worker' => "$dir/worker.php", 'watch' => ['enabled' => true]], [], ['opcache.enable_cli' => 1, 'opcache.validate_timestamps' => 0], false);
$deadline = microtime(true) + 10;
while (proc_get_status($srv[0])['running'] && microtime(true) < $deadline) usleep(20000);
[$code, $out] = folk_stop_server($srv);
var_dump($code !== 0, str_contains($out, 'watch mode needs opcache.validate_timestamps=1'));
watch_app_remove($dir);
?>
--EXPECTF--
string(2) "v1"
bool(true)
poll: v2 within 1s: true
poll: edit seen after %f s
int(1)
string(2) "v1"
string(2) "v1"
classic: v2 within 1s: true
classic: edit seen after %f s
bool(true)
bool(true)
