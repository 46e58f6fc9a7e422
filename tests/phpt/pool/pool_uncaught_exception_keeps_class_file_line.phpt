--TEST--
An uncaught exception reaches the caller as ApplicationException with the original class, message, file and line; the worker is kept
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 1]]);
try {
    $pool->call('throw', ['id' => 7]);
} catch (Folk\Exception\ApplicationException $e) {
    var_dump($e->getMessage(), $e->getOriginalClass(), $e->getOriginalMessage());
    var_dump(basename($e->getOriginalFile()), $e->getOriginalLine() > 0);
    var_dump($e instanceof Folk\Exception\FolkException);
}
var_dump($pool->call('jobs'));
var_dump($pool->stats()['workers'][0]['restarts']);
?>
--EXPECT--
string(14) "boom: {"id":7}"
string(16) "RuntimeException"
string(14) "boom: {"id":7}"
string(15) "worker_echo.php"
bool(true)
bool(true)
int(2)
int(0)
