--TEST--
Folk\Server refuses out-of-range options from the array, INI and environment with ConfigException naming the key and the bound (no clamping)
--FILE--
<?php
$w = __DIR__ . '/../../fixtures/worker_http.php';
$cases = [
    ['http' => ['max_header_size' => 100]],          // was raised to 1K silently
    ['http' => ['max_header_size' => '1G']],
    ['http' => ['max_connections' => 0]],            // was raised to 1 silently
    ['http' => ['max_connections' => PHP_INT_MAX]],  // was clamped to the semaphore's maximum
    ['http' => ['max_body_size' => '5G']],
    ['http' => ['header_timeout' => 0]],
    ['http' => ['idle_timeout' => 1e300]],
    ['server' => ['io_threads' => PHP_INT_MAX]],
    ['workers' => ['boot_timeout' => PHP_INT_MAX]],
];
foreach ($cases as $opts) {
    try { new Folk\Server(['worker' => $w] + $opts); echo "accepted\n"; }
    catch (Folk\Exception\ConfigException $e) { echo $e->getMessage(), "\n"; }
}
ini_set('folk.http.max_header_size', '512');
try { new Folk\Server(['worker' => $w]); } catch (Folk\Exception\ConfigException $e) { echo $e->getMessage(), "\n"; }
ini_set('folk.http.max_header_size', '');
putenv('FOLK_WORKERS_TTL=' . PHP_INT_MAX);
try { new Folk\Server(['worker' => $w]); } catch (Folk\Exception\ConfigException $e) { echo $e->getMessage(), "\n"; }
putenv('FOLK_WORKERS_TTL');
new Folk\Server(['worker' => $w, 'http' => ['max_header_size' => '16M', 'max_connections' => 1000000, 'idle_timeout' => '365d']]);
echo "largest accepted\n";
?>
--EXPECT--
invalid option 'http.max_header_size': must be at least 1K
invalid option 'http.max_header_size': must be at most 16M
invalid option 'http.max_connections': must be at least 1
invalid option 'http.max_connections': must be at most 1000000
invalid option 'http.max_body_size': must be at most 4G
invalid option 'http.header_timeout': must be greater than 0
invalid option 'http.idle_timeout': must be at most 365d
invalid option 'server.io_threads': must be at most 256
invalid option 'workers.boot_timeout': must be at most 365d
invalid option 'folk.http.max_header_size': must be at least 1K
invalid option 'FOLK_WORKERS_TTL (workers.ttl)': must be at most 365d
largest accepted
