--TEST--
Folk\Worker::handleRequest() and serve() called inside a Fiber fail with a typed error (a request held open across a suspension would outlive it), and the worker serves on from its main flow
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$worker = <<<'PHP'
<?php
$errors = [];
foreach (['handleRequest' => fn () => Folk\Worker::handleRequest(fn () => print('x')), 'serve' => fn () => Folk\Worker::serve(fn () => 1)] as $what => $call) {
    try { (new Fiber($call))->start(); } catch (Folk\Exception\FolkException $e) { $errors[] = $e->getMessage(); }
}
while (Folk\Worker::handleRequest(function () use ($errors) { echo implode("\n", $errors); })) {}
PHP;
$srv = folk_worker_mode($worker);
[$s, , $b] = folk_http($srv[2], 'GET', '/');
echo "$s\n$b\n";
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
200
Folk\Worker::handleRequest() cannot run inside a Fiber: a request or job it holds open would outlive the Fiber's suspension; call it from the worker script's main flow
Folk\Worker::serve() cannot run inside a Fiber: a request or job it holds open would outlive the Fiber's suspension; call it from the worker script's main flow
int(0)
