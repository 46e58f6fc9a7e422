--TEST--
APCu on folk's worker threads (2 workers of a Folk\Pool): a value one job stores is read by the worker's later jobs and by the other worker thread, apcu_inc from both threads at once loses no increment, and a deleted value is gone for both
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/pecl.php'; if ($why = pecl_unavailable('apcu')) echo "skip $why"; ?>
--FILE--
<?php
$worker = tempnam(sys_get_temp_dir(), 'folk-apcu-') . '.php';
file_put_contents($worker, <<<'PHP'
<?php
// Which worker thread answered: an id each worker picks at boot.
$me = bin2hex(random_bytes(6));
Folk\Worker::serve(function (string $method, mixed $p) use ($me) {
    switch ($method) {
        case 'enabled': return [$me, apcu_enabled()];
        case 'store': return [$me, apcu_store($p['key'], $p['value'])];
        case 'fetch': usleep($p['wait'] ?? 0); return [$me, apcu_fetch($p['key'], $found), $found];
        case 'inc':
            usleep(100000); // both workers are busy before either counts
            for ($i = 0; $i < $p['times']; $i++) apcu_inc($p['key']);
            return [$me, true];
        case 'delete': return [$me, apcu_delete($p['key'])];
    }
});
PHP);
$pool = new Folk\Pool($worker, ['workers' => ['count' => 2]]);
[$writer, $enabled] = $pool->call('enabled');
var_dump($enabled);
$value = ['config' => ['db' => 'pgsql', 'replicas' => [1, 2]], 'built' => 1.5];
[$writer] = $pool->call('store', ['key' => 'folk:config', 'value' => $value]);
// Later jobs, both workers: two jobs at once, each held long enough that the other worker takes the second.
$readers = [];
for ($round = 0; $round < 3; $round++) {
    $fs = [$pool->submit('fetch', ['key' => 'folk:config', 'wait' => 200000]), $pool->submit('fetch', ['key' => 'folk:config', 'wait' => 200000])];
    foreach ($fs as $f) {
        [$who, $got, $found] = $f->wait(10.0);
        $readers[$who][] = $found && $got === $value;
    }
}
echo count($readers), " worker threads read it, ", array_sum(array_map('count', $readers)), " reads, all equal: ";
var_dump(!in_array(false, array_merge(...array_values($readers)), true), isset($readers[$writer]));
$pool->call('store', ['key' => 'folk:n', 'value' => 0]);
$fs = [$pool->submit('inc', ['key' => 'folk:n', 'times' => 5000]), $pool->submit('inc', ['key' => 'folk:n', 'times' => 5000])];
$incrementers = array_unique(array_map(fn ($f) => $f->wait(30.0)[0], $fs));
echo count($incrementers), " worker threads counted to ", $pool->call('fetch', ['key' => 'folk:n'])[1], "\n";
$pool->call('delete', ['key' => 'folk:config']);
$fs = [$pool->submit('fetch', ['key' => 'folk:config', 'wait' => 200000]), $pool->submit('fetch', ['key' => 'folk:config', 'wait' => 200000])];
foreach ($fs as $f) var_dump($f->wait(10.0)[2]);
$pool->close();
unlink($worker);
?>
--EXPECT--
bool(true)
2 worker threads read it, 6 reads, all equal: bool(true)
bool(true)
2 worker threads counted to 10000
bool(false)
bool(false)
