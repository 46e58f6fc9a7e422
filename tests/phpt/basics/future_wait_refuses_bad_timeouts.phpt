--TEST--
Future::wait() refuses a NAN, infinite, negative or beyond-a-year timeout with InvalidArgumentException naming the argument and the range
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 1]]);
foreach ([1e20, NAN, INF, -INF, -1, -0.001, PHP_INT_MAX, 31536000.5] as $t) {
    $f = $pool->submit('echo', 'x');
    try { $f->wait($t); echo "accepted\n"; }
    catch (Folk\Exception\InvalidArgumentException $e) { echo $e->getMessage(), "\n"; }
    var_dump($f->wait(5));   // the future still answers
}
var_dump($e instanceof Folk\Exception\FolkException);
var_dump($pool->submit('echo', 'limit')->wait(31536000));
// -0.0 is zero: it answers at once or gives up at once, as wait(0) does.
try { $r = $pool->submit('echo', 'zero')->wait(-0.0); } catch (Folk\Exception\TimeoutException $e) { $r = 'zero'; }
var_dump($r);
?>
--EXPECT--
Future::wait(): $timeout must be from 0 to 31536000 seconds, or null to wait without limit; got 1e20
string(1) "x"
Future::wait(): $timeout must be from 0 to 31536000 seconds, or null to wait without limit; got NAN
string(1) "x"
Future::wait(): $timeout must be from 0 to 31536000 seconds, or null to wait without limit; got INF
string(1) "x"
Future::wait(): $timeout must be from 0 to 31536000 seconds, or null to wait without limit; got -INF
string(1) "x"
Future::wait(): $timeout must be from 0 to 31536000 seconds, or null to wait without limit; got -1.0
string(1) "x"
Future::wait(): $timeout must be from 0 to 31536000 seconds, or null to wait without limit; got -0.001
string(1) "x"
Future::wait(): $timeout must be from 0 to 31536000 seconds, or null to wait without limit; got 9.223372036854776e18
string(1) "x"
Future::wait(): $timeout must be from 0 to 31536000 seconds, or null to wait without limit; got 31536000.5
string(1) "x"
bool(true)
string(5) "limit"
string(4) "zero"
