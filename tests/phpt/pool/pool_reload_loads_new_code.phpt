--TEST--
After reload() workers run the new code, and a worker that declares functions and classes reboots without "Cannot redeclare"
--FILE--
<?php
$versionFile = sys_get_temp_dir() . '/folk_fixture_version';
file_put_contents($versionFile, 'v1');
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_functions.php', ['workers' => ['count' => 2]]);
var_dump($pool->call('version'));
file_put_contents($versionFile, 'v2');
$pool->reload();
$deadline = microtime(true) + 10;
$seen = [];
$log = [];
while (microtime(true) < $deadline) {
    $v = $pool->call('version');
    $log[] = $v;
    if ($v === 'v2') { $seen[] = $v; if (count($seen) >= 10) break; } else { $seen = []; }
}
if (count($seen) < 10) { echo "answers: ", implode(',', array_slice($log, -30)), "\n"; print_r($pool->stats()); }
var_dump(count($seen) >= 10, $pool->call('x', 1));
// Close first: a worker still being replaced after the reload reads the file while it boots.
$pool->close();
unlink($versionFile);
?>
--EXPECT--
string(2) "v1"
bool(true)
array(2) {
  [0]=>
  string(1) "x"
  [1]=>
  int(1)
}
