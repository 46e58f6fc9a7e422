--TEST--
memory_limit exhaustion fails only that job; the worker is rebooted and serves again
--SKIPIF--
<?php if (getenv('USE_ZEND_ALLOC') === '0') echo 'skip memory_limit is not enforced with USE_ZEND_ALLOC=0 (make test-asan)'; ?>
--INI--
memory_limit=64M
display_errors=0
log_errors=0
--ENV--
FOLK_LOG=off
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 1]]);
try {
    $pool->call('memory');
} catch (Folk\Exception\WorkerDiedException $e) {
    echo $e->getMessage(), "\n";
}
var_dump($pool->call('echo', 'ok'));
?>
--EXPECTF--
worker died during the job: PHP Fatal error: Allowed memory size of 67108864 bytes exhausted %s in %sworker_echo.php:%d
string(2) "ok"
