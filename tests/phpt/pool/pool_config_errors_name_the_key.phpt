--TEST--
Invalid options throw ConfigException naming the key
--FILE--
<?php
$cases = [
    ['workers' => ['count' => 0]],
    ['workers' => ['cuont' => 2]],
    ['workers' => ['exec_timeout' => 'soon']],
    ['queue' => ['size' => -1]],
    ['workers' => ['max_memory' => '12X']],
];
foreach ($cases as $opts) {
    try { new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', $opts); echo "accepted\n"; }
    catch (Folk\Exception\ConfigException $e) { echo $e->getMessage(), "\n"; }
}
try { new Folk\Pool('/nonexistent/worker.php'); } catch (Folk\Exception\ConfigException $e) { echo $e->getMessage(), "\n"; }
?>
--EXPECTF--
invalid option 'workers.count': must be at least 1
invalid option 'workers.cuont': unknown option (known: %s)
invalid option 'workers.exec_timeout': expected a duration like "30s", "500ms" or "1h", got "soon"
invalid option 'queue.size': must not be negative, got -1
invalid option 'workers.max_memory': expected a size like "128M", "1G" or bytes, got "12X"
invalid option 'worker': cannot open /nonexistent/worker.php: No such file or directory (os error 2)
