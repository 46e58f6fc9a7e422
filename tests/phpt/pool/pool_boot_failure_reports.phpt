--TEST--
A worker that cannot boot (syntax error) makes the pool unhealthy; call() fails fast with the reason
--ENV--
FOLK_LOG=off
--INI--
display_errors=0
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_syntax_error.php', ['workers' => ['count' => 1]]);
$deadline = microtime(true) + 5;
while ($pool->stats()['healthy'] && microtime(true) < $deadline) usleep(10000);
$t = microtime(true);
try {
    $pool->call('echo', 1);
} catch (Folk\Exception\FolkException $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
    echo (microtime(true) - $t) < 0.05 ? "fast\n" : "slow\n";
}
$st = $pool->stats();
var_dump($st['healthy'], $st['boot_failures'] >= 3);
?>
--EXPECTF--
Folk\Exception\FolkException: pool unhealthy: worker failed to boot %d times in a row: Unclosed '(' on line 3 in %sworker_syntax_error.php:%d
fast
bool(false)
bool(true)
