--TEST--
Watch mode (inotify): vendor/ and node_modules/ take no inotify watch however many directories they hold (one watch per other directory, counted in /proc); a directory created later is watched from then on (a file written into it at once still reloads), one created under vendor/ is not
--SKIPIF--
<?php if (!is_dir('/proc/self/fdinfo')) echo 'skip needs /proc'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/watch_app.php';
$dir = watch_app();
for ($i = 0; $i < 60; $i++) mkdir("$dir/vendor/acme/pkg$i/src", 0777, true);
for ($i = 0; $i < 30; $i++) mkdir("$dir/node_modules/m$i/lib", 0777, true);
mkdir("$dir/src/a/b", 0777, true);
$srv = folk_start_server(['worker' => "$dir/worker.php", 'workers' => ['count' => 1], 'watch' => ['enabled' => true]]);
[, , $port, $log] = $srv;
var_dump(watch_started($log));
$pid = proc_get_status($srv[0])['pid'];
// One "inotify wd:" line per watch in the fdinfo of the server's inotify descriptors.
$watches = function () use ($pid): int {
    $n = 0;
    foreach (glob("/proc/$pid/fd/*") as $fd) {
        if (@readlink($fd) !== 'anon_inode:inotify') continue;
        $n += substr_count((string) @file_get_contents("/proc/$pid/fdinfo/" . basename($fd)), 'inotify wd:');
    }
    return $n;
};
echo "watches: ", $watches(), " (the root, src, src/a, src/a/b)\n";

// A new directory, and a file written into it at once: the file counts.
mkdir("$dir/src/new/deeper", 0777, true);
file_put_contents("$dir/src/new/deeper/x.php", '<?php // new');
$deadline = microtime(true) + 3;
while (watch_reloads($log) < 1 && microtime(true) < $deadline) usleep(20000);
echo "reloads after a file in a new directory: ", watch_reloads($log), "\n";
$deadline = microtime(true) + 2;
while ($watches() < 6 && microtime(true) < $deadline) usleep(20000);
echo "watches: ", $watches(), " (src/new and src/new/deeper joined)\n";
// Later edits there are seen through the new watch.
usleep(400000);
file_put_contents("$dir/src/new/deeper/y.php", '<?php // newer');
$deadline = microtime(true) + 3;
while (watch_reloads($log) < 2 && microtime(true) < $deadline) usleep(20000);
echo "reloads after an edit in it: ", watch_reloads($log), "\n";

// Under vendor/: no watch, no reload.
mkdir("$dir/vendor/acme/late");
file_put_contents("$dir/vendor/acme/late/z.php", '<?php // vendored');
usleep(800000);
echo "watches: ", $watches(), ", reloads: ", watch_reloads($log), " (vendor/ unchanged)\n";

[$code] = folk_stop_server($srv);
var_dump($code);
watch_app_remove($dir);
?>
--EXPECT--
bool(true)
watches: 4 (the root, src, src/a, src/a/b)
reloads after a file in a new directory: 1
watches: 6 (src/new and src/new/deeper joined)
reloads after an edit in it: 2
watches: 6, reloads: 2 (vendor/ unchanged)
int(0)
