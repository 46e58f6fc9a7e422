--TEST--
A result whose jsonSerialize() hits a fatal error or exit() fails that job only; the next job is answered
--ENV--
FOLK_LOG=off
--INI--
display_errors=0
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 1]]);
foreach (['fatal', 'exit'] as $how) {
    try { $pool->call('bad_result', $how); echo "no error\n"; }
    catch (Folk\Exception\WorkerDiedException $e) { echo $e->getMessage(), "\n"; }
    var_dump($pool->call('echo', $how));
}
?>
--EXPECTF--
worker died during the job: PHP Fatal error: fatal while serializing the result in %sworker_echo.php:%d
string(5) "fatal"
worker died during the job: exit() was called while converting the job's result; the worker is replaced
string(4) "exit"
