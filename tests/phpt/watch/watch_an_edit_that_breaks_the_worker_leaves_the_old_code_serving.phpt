--TEST--
Watch mode: an edit that breaks the worker script (a parse error) is logged with file and line, the previous workers keep serving the old code without a failed request, and the fixing edit is served next
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/watch_app.php';
$dir = watch_app();
$srv = folk_start_server(['worker' => "$dir/worker.php", 'workers' => ['count' => 2], 'watch' => ['enabled' => true]]);
if (!watch_started($srv[3])) echo "the watcher did not start\n"; // the edits below must not come before it
[, , $port, $log] = $srv;
var_dump(folk_http($port, 'GET', '/')[2]);
file_put_contents("$dir/version.php", "<?php return 'broken'");
$answers = [];
$end = microtime(true) + 1.5;
while (microtime(true) < $end) {
    [$s, , $b] = folk_http($port, 'GET', '/', [], '', 2);
    $answers["$s $b"] = true;
    usleep(20000);
}
var_dump(array_keys($answers));
$text = file_get_contents($log);
var_dump(str_contains($text, 'syntax error') && str_contains($text, 'version.php:1'));
var_dump(str_contains($text, 'reload failed: the previous workers keep serving until the next reload'));
file_put_contents("$dir/version.php", "<?php return 'v3';");
$t = watch_wait_body($port, '/', 'v3');
printf("fixed: v3 within 1s: %s\n", var_export($t !== null && $t < 1.0, true));
[$code] = folk_stop_server($srv);
var_dump($code);
watch_app_remove($dir);
?>
--EXPECT--
string(2) "v1"
array(1) {
  [0]=>
  string(6) "200 v1"
}
bool(true)
bool(true)
fixed: v3 within 1s: true
int(0)
