--TEST--
exit() in a handler fails only that job and the worker is replaced
--ENV--
FOLK_LOG=off
--INI--
display_errors=0
log_errors=0
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 1]]);
try {
    $pool->call('exit');
} catch (Folk\Exception\WorkerDiedException $e) {
    echo $e->getMessage(), "\n";
}
var_dump($pool->call('echo', 'still serving'));
$st = $pool->stats();
var_dump($st['workers'][0]['restarts'], $st['recycles']['exit']);
?>
--EXPECT--
worker died during the job: exit() was called in the job handler (status 3); the worker is replaced
string(13) "still serving"
int(1)
int(1)
