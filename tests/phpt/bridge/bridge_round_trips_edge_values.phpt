--TEST--
Payloads and results cross threads unchanged: ints at the edges, floats, binary strings, lists, ordered maps with mixed keys, nesting
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 1]]);
$values = [
    null, true, false, 0, -1, PHP_INT_MAX, PHP_INT_MIN, 0.1, -0.0, 1.5e300, INF, -INF,
    '', "bin\0ary\xff\xfe", str_repeat('é', 1000), [], [1, 2, 3], ['b' => 1, 'a' => 2], [5 => 'x', 1 => 'y'],
    [0 => 'a', 2 => 'c'], ['x' => ['y' => ['z' => [1, [2, [3]]]]]], [10 => 1, 'k' => 2, -3 => 3, '' => 4],
];
$bad = 0;
foreach ($values as $i => $v) {
    $r = $pool->call('echo', $v);
    if ($r !== $v && !(is_float($v) && is_nan($v))) { echo "mismatch at $i: ", var_export($r, true), "\n"; $bad++; }
}
$nan = $pool->call('echo', NAN);
var_dump(is_nan($nan), $bad);
var_dump($pool->call('echo', -0.0) === -0.0 && fdiv(1, $pool->call('echo', -0.0)) === -INF);
var_dump(array_keys($pool->call('echo', ['b' => 1, 'a' => 2, 3 => 'c'])));
?>
--EXPECT--
bool(true)
int(0)
bool(true)
array(3) {
  [0]=>
  string(1) "b"
  [1]=>
  string(1) "a"
  [2]=>
  int(3)
}
