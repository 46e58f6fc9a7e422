--TEST--
A pool left open (busy workers, pending futures, exit()) is drained and joined at request shutdown; the process exits cleanly
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 2]]);
$GLOBALS['keep'] = [$pool, $pool->submit('usleep', 100000), $pool->submit('usleep', 100000)];
register_shutdown_function(function () { echo "shutdown function ran\n"; });
echo "exiting\n";
exit(0);
?>
--EXPECT--
exiting
shutdown function ran
