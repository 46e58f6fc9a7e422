--TEST--
Folk\Pool::call() runs a job on a worker thread and returns its result
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 2]]);
var_dump($pool->call('echo', ['hello' => 'world', 'n' => 42]));
$st = $pool->stats();
var_dump(count($st['workers']), $st['healthy'], $st['jobs']['ok']);
$f = $pool->submit('echo', 'later');
var_dump($f->wait(5.0), $f->done());
$pool->close();
echo "closed\n";
?>
--EXPECT--
array(2) {
  ["hello"]=>
  string(5) "world"
  ["n"]=>
  int(42)
}
int(2)
bool(true)
int(1)
string(5) "later"
bool(true)
closed
