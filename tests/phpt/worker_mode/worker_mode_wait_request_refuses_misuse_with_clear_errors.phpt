--TEST--
Folk\Worker::waitRequest() outside a web worker, with a non-callable job handler, inside a Fiber, or mixed with handleRequest() or serve() (either order) fails with a Folk\Exception naming the fix; endRequest() and failRequest() with no request open return false
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
try { Folk\Worker::waitRequest(); } catch (Folk\Exception\FolkException $e) { echo get_class($e), ': ', $e->getMessage(), "\n"; }
var_dump(Folk\Worker::isRequestOpen());
// A Folk\Pool worker serves jobs, not HTTP requests.
$root = folk_docroot(['pool_worker.php' => '<?php
try { Folk\Worker::waitRequest(); } catch (Folk\Exception\FolkException $e) { $msg = $e->getMessage(); }
Folk\Worker::serve(function ($m, $p) use ($msg) { return $msg . " / endRequest: " . var_export(Folk\Worker::endRequest(), true); });']);
$pool = new Folk\Pool("$root/pool_worker.php", ['workers' => ['count' => 1]]);
echo $pool->call('any', null), "\n";
$pool->close();
// In a server worker: the misuses at boot, then the other loops with a request open.
$worker = <<<'PHP'
<?php
$msgs = [];
try { Folk\Worker::waitRequest('no such function'); } catch (Folk\Exception\FolkException $e) { $msgs[] = $e->getMessage(); }
$fiber = new Fiber(function () use (&$msgs) {
    try { Folk\Worker::waitRequest(); } catch (Folk\Exception\FolkException $e) { $msgs[] = $e->getMessage(); }
});
$fiber->start();
$msgs[] = 'at boot: endRequest ' . var_export(Folk\Worker::endRequest(), true) . ', failRequest ' . var_export(Folk\Worker::failRequest('nothing open'), true)
    . ', isRequestOpen ' . var_export(Folk\Worker::isRequestOpen(), true);
while (Folk\Worker::waitRequest()) {
    try { Folk\Worker::handleRequest(fn () => null); } catch (Folk\Exception\FolkException $e) { $msgs[] = $e->getMessage(); }
    try { Folk\Worker::serve(fn () => 1); } catch (Folk\Exception\FolkException $e) { $msgs[] = $e->getMessage(); }
    $msgs[] = 'in a request: isRequestOpen ' . var_export(Folk\Worker::isRequestOpen(), true);
    echo implode("\n", $msgs);
    $msgs = [];
}
PHP;
$srv = folk_worker_mode($worker);
[$s, , $b] = folk_http($srv[2], 'GET', '/');
echo "$s\n$b\n";
folk_stop_server($srv);
$srv = folk_worker_mode('<?php
Folk\Worker::handleRequest(function () {
    try { Folk\Worker::waitRequest(); } catch (Folk\Exception\FolkException $e) { echo $e->getMessage(); }
});
while (Folk\Worker::handleRequest(fn () => print("again"))) {}');
[$s, , $b] = folk_http($srv[2], 'GET', '/');
echo "$s\n$b\n";
folk_stop_server($srv);
?>
--EXPECT--
Folk\Exception\FolkException: Folk\Worker::waitRequest() only works in a worker script started by folk (new Folk\Pool('worker.php') or Folk\Server); this script runs in plain PHP
bool(false)
Folk\Worker::waitRequest() serves HTTP requests: it works in the worker script of a Folk\Server with HTTP enabled, not in a Folk\Pool worker (use Folk\Worker::serve() there) / endRequest: false
200
Folk\Worker::waitRequest() expects a callable or null as the job handler, got String
Folk\Worker::waitRequest() cannot run inside a Fiber: a request or job it holds open would outlive the Fiber's suspension; call it from the worker script's main flow
at boot: endRequest false, failRequest false, isRequestOpen false
Folk\Worker::handleRequest() cannot be used in a worker that already called Folk\Worker::waitRequest(): a worker script uses one of them
Folk\Worker::serve() cannot be used in a worker that already called Folk\Worker::waitRequest(): a worker script uses one of them
in a request: isRequestOpen true
200
Folk\Worker::waitRequest() cannot be used in a worker that already called Folk\Worker::handleRequest(): a worker script uses one of them
