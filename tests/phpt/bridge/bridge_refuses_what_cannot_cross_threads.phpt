--TEST--
Resources, closures and other objects are refused with an error that says where they were; deep and huge values are refused, not crashed on
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 1]]);
$cases = [
    ['user' => ['handle' => fopen('php://memory', 'r')]],
    ['cb' => fn () => 1],
    [new ArrayObject([])],
];
foreach ($cases as $c) {
    try { $pool->call('echo', $c); echo "accepted\n"; } catch (Folk\Exception\FolkException $e) { echo $e->getMessage(), "\n"; }
}
$deep = 1; for ($i = 0; $i < 1000; $i++) $deep = [$deep];
try { $pool->call('echo', $deep); echo "accepted\n"; } catch (Folk\Exception\FolkException $e) { echo substr($e->getMessage(), 0, 7), '...', strstr($e->getMessage(), ': '), "\n"; }
$self = [1]; $self[] = &$self;
try { $pool->call('echo', $self); echo "accepted\n"; } catch (Folk\Exception\FolkException $e) { echo "self-reference refused\n"; }
// A result that cannot cross: the job fails, the worker stays.
try { $pool->call('resource'); } catch (Folk\Exception\FolkException $e) { echo get_class($e), ': ', $e->getMessage(), "\n"; }
var_dump($pool->call('echo', 'still fine'));
?>
--EXPECTF--
payload['user']['handle']: resources cannot cross threads
payload['cb']: closures cannot cross threads
payload[0]: objects of class ArrayObject cannot cross threads (implement JsonSerializable)
payload...: nesting deeper than 128 levels
self-reference refused
Folk\Exception\%s: result: resources cannot cross threads
string(10) "still fine"
