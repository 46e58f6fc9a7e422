--TEST--
An interrupted job still runs its finally blocks and shutdown functions
--ENV--
FOLK_LOG=off
--INI--
display_errors=0
log_errors=0
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 1, 'exec_timeout' => '200ms']]);
$f1 = tempnam(sys_get_temp_dir(), 'folk');
$f2 = tempnam(sys_get_temp_dir(), 'folk');
foreach ([['finally', $f1], ['shutdown_fn', $f2]] as [$m, $file]) {
    try { $pool->call($m, $file); } catch (Folk\Exception\TimeoutException $e) { echo "$m: timeout\n"; }
}
$pool->close();
var_dump(file_get_contents($f1), file_get_contents($f2));
unlink($f1); unlink($f2);
?>
--EXPECT--
finally: timeout
shutdown_fn: timeout
string(11) "finally ran"
string(12) "shutdown ran"
