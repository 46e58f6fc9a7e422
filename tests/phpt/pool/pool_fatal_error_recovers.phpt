--TEST--
A fatal error fails only its job with WorkerDiedException; jobs in flight complete and the pool recovers
--INI--
display_errors=0
log_errors=0
--ENV--
FOLK_LOG=off
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 2]]);
$others = [];
for ($i = 0; $i < 50; $i++) $others[] = $pool->submit('echo', $i);
try {
    $pool->call('fatal');
} catch (Folk\Exception\WorkerDiedException $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
$ok = 0;
foreach ($others as $i => $f) if ($f->wait() === $i) $ok++;
echo "$ok of 50 other jobs answered\n";
var_dump($pool->call('echo', 'next'));
var_dump($pool->stats()['recycles']['fatal_error']);
?>
--EXPECTF--
Folk\Exception\WorkerDiedException: worker died during the job: PHP Fatal error: fixture fatal error null in %sworker_echo.php:%d
50 of 50 other jobs answered
string(4) "next"
int(1)
