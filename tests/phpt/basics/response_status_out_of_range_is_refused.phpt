--TEST--
Folk\Http\Response refuses a status outside 100 to 999 with InvalidArgumentException naming the argument and the range
--FILE--
<?php
foreach ([0, -1, 99, 1000, PHP_INT_MAX, PHP_INT_MIN] as $status) {
    try { new Folk\Http\Response('', $status); echo "accepted\n"; }
    catch (Folk\Exception\InvalidArgumentException $e) { echo $e->getMessage(), "\n"; }
}
var_dump($e instanceof Folk\Exception\FolkException);
var_dump((new Folk\Http\Response('', 100))->getStatus(), (new Folk\Http\Response('', 999))->getStatus());
?>
--EXPECT--
Folk\Http\Response: $status must be from 100 to 999, got 0
Folk\Http\Response: $status must be from 100 to 999, got -1
Folk\Http\Response: $status must be from 100 to 999, got 99
Folk\Http\Response: $status must be from 100 to 999, got 1000
Folk\Http\Response: $status must be from 100 to 999, got 9223372036854775807
Folk\Http\Response: $status must be from 100 to 999, got -9223372036854775808
bool(true)
int(100)
int(999)
