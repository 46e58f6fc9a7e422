--TEST--
Worker mode: a worker script that ends its own loop after N requests (as Symfony's and FrankenPHP's runners do) is replaced cleanly: no request fails, the recycle is counted as script_end, not as a crash
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$worker = <<<'PHP'
<?php
for ($i = 0; $i < 3 && Folk\Worker::handleRequest(function () { echo "ok"; }); $i++) {}
PHP;
$mport = folk_free_port();
$srv = folk_worker_mode($worker, [], ['metrics' => ['listen' => "127.0.0.1:$mport"]]);
$port = $srv[2];
$statuses = [];
for ($i = 0; $i < 10; $i++) { [$s, , $b] = folk_http($port, 'GET', '/'); $statuses["$s $b"] = ($statuses["$s $b"] ?? 0) + 1; }
var_dump($statuses);
[, , $m] = folk_http($mport, 'GET', '/metrics');
preg_match('/folk_recycles_total\{reason="script_end"\} (\d+)/', $m, $end);
preg_match('/folk_recycles_total\{reason="fatal_error"\} (\d+)/', $m, $fatal);
var_dump((int) ($end[1] ?? -1) >= 3, (int) ($fatal[1] ?? -1));
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
array(1) {
  ["200 ok"]=>
  int(10)
}
bool(true)
int(0)
int(0)
