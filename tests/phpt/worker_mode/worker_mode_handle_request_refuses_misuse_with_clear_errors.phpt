--TEST--
Folk\Worker::handleRequest() outside a web worker, with a non-callable, or mixed with serve() fails with a Folk\Exception naming the fix
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
try { Folk\Worker::handleRequest(fn () => null); } catch (Folk\Exception\FolkException $e) { echo get_class($e), ': ', $e->getMessage(), "\n"; }
// A Folk\Pool worker serves jobs, not HTTP requests.
$root = folk_docroot(['pool_worker.php' => '<?php
try { Folk\Worker::handleRequest(fn () => null); } catch (Folk\Exception\FolkException $e) { $msg = $e->getMessage(); }
Folk\Worker::serve(function ($m, $p) use ($msg) { return $msg; });']);
$pool = new Folk\Pool("$root/pool_worker.php", ['workers' => ['count' => 1]]);
echo $pool->call('any', null), "\n";
$pool->close();
// In a server worker: a non-callable, then mixing the two loops.
$worker = <<<'PHP'
<?php
$msgs = [];
try { Folk\Worker::handleRequest('no such function'); } catch (Folk\Exception\FolkException $e) { $msgs[] = $e->getMessage(); }
Folk\Worker::handleRequest(function () use (&$msgs) {
    try { Folk\Worker::serve(fn () => 1); } catch (Folk\Exception\FolkException $e) { $msgs[] = $e->getMessage(); }
    echo implode("\n", $msgs);
});
while (Folk\Worker::handleRequest(fn () => print('again'))) {}
PHP;
$srv = folk_worker_mode($worker);
[$s, , $b] = folk_http($srv[2], 'GET', '/');
echo "$s\n$b\n";
folk_stop_server($srv);
?>
--EXPECT--
Folk\Exception\FolkException: Folk\Worker::handleRequest() only works in a worker script started by folk (new Folk\Pool('worker.php') or Folk\Server); this script runs in plain PHP
Folk\Worker::handleRequest() serves HTTP requests: it works in the worker script of a Folk\Server with HTTP enabled, not in a Folk\Pool worker (use Folk\Worker::serve() there)
200
Folk\Worker::handleRequest() expects a callable handler, got String
Folk\Worker::serve() cannot be used in a worker that already called Folk\Worker::handleRequest(): a worker script uses one of them
