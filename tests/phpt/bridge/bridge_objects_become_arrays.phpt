--TEST--
stdClass arrives as an array, JsonSerializable as what jsonSerialize() returns
--FILE--
<?php
class Money implements JsonSerializable {
    public function __construct(private int $cents, private string $cur) {}
    public function jsonSerialize(): mixed { return ['amount' => $this->cents / 100, 'currency' => $this->cur]; }
}
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 1]]);
$o = new stdClass; $o->name = 'folk'; $o->tags = ['a', 'b'];
var_dump($pool->call('echo', $o));
var_dump($pool->call('echo', ['price' => new Money(1999, 'EUR')]));
?>
--EXPECT--
array(2) {
  ["name"]=>
  string(4) "folk"
  ["tags"]=>
  array(2) {
    [0]=>
    string(1) "a"
    [1]=>
    string(1) "b"
  }
}
array(1) {
  ["price"]=>
  array(2) {
    ["amount"]=>
    float(19.99)
    ["currency"]=>
    string(3) "EUR"
  }
}
