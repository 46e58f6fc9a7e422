--TEST--
Folk\Pool refuses out-of-range options with ConfigException naming the key and the bound (never clamps, never panics)
--FILE--
<?php
$w = __DIR__ . '/../../fixtures/worker_echo.php';
$cases = [
    ['workers' => ['ttl' => 1e20]],
    ['workers' => ['boot_timeout' => PHP_INT_MAX]],
    ['workers' => ['idle_ttl' => '400d']],
    ['workers' => ['exec_timeout' => NAN]],
    ['workers' => ['exec_timeout' => -INF]],
    ['queue' => ['timeout' => -0.5]],
    ['server' => ['shutdown_timeout' => 31536001]],
    ['workers' => ['count' => PHP_INT_MAX]],
    ['workers' => ['count' => 1025]],
    ['workers' => ['max_jobs' => PHP_INT_MAX]],
    ['workers' => ['max_memory' => PHP_INT_MAX]],
    ['workers' => ['max_memory' => PHP_INT_MIN]],
    ['queue' => ['size' => PHP_INT_MAX]],
    ['queue.size' => '99999999999999999999'],
    ['http' => ['max_connections' => 10]],
];
foreach ($cases as $opts) {
    try { new Folk\Pool($w, $opts); echo "accepted\n"; }
    catch (Folk\Exception\ConfigException $e) { echo $e->getMessage(), "\n"; }
}
// The largest accepted values are taken as given.
$pool = new Folk\Pool($w, ['workers' => ['count' => 1, 'ttl' => '365d', 'boot_timeout' => 31536000, 'exec_timeout' => 31536000.0]]);
var_dump($pool->call('echo', 'up'));
$pool->close();
?>
--EXPECTF--
invalid option 'workers.ttl': must be at most 365d
invalid option 'workers.boot_timeout': must be at most 365d
invalid option 'workers.idle_ttl': must be at most 365d
invalid option 'workers.exec_timeout': expected a duration like "30s", "500ms" or "1h", got NAN
invalid option 'workers.exec_timeout': expected a duration like "30s", "500ms" or "1h", got -INF
invalid option 'queue.timeout': must not be negative, got -0.5
invalid option 'server.shutdown_timeout': must be at most 365d
invalid option 'workers.count': must be at most 1024
invalid option 'workers.count': must be at most 1024
invalid option 'workers.max_jobs': must be at most 1000000000
invalid option 'workers.max_memory': must be at most 1024G
invalid option 'workers.max_memory': must not be negative, got -9223372036854775808
invalid option 'queue.size': must be at most 10000000
invalid option 'queue.size': expected an integer, got "99999999999999999999"
invalid option 'http.max_connections': unknown option (known: %s)
string(2) "up"
