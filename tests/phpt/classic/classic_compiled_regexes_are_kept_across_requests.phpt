--TEST--
Classic mode keeps compiled (and JIT-compiled) regexes across requests on a thread, as php-fpm keeps them for its process: the second request's preg_match() of 300 new patterns is far cheaper than the first's (php-cli's per-request cache made every request compile them all again)
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic(['re.php' => '<?php $t = hrtime(true); for ($i = 0; $i < 300; $i++) preg_match("/(?:folk|regex)+\\\\d{" . $i . "}[a-z]*(\\\\w+)@cache$i/u", "folkregex cache$i"); echo hrtime(true) - $t;']);
$times = [];
for ($i = 0; $i < 4; $i++) {
    [$s, , $b] = folk_http($srv[2], 'GET', '/re.php');
    $times[] = (int) $b;
}
$first = $times[0];
$later = min(array_slice($times, 1));
echo $later * 3 < $first ? "later requests reuse the compiled patterns\n" : "later requests compiled again: " . json_encode($times) . "\n";
folk_stop_server($srv);
?>
--EXPECT--
later requests reuse the compiled patterns
