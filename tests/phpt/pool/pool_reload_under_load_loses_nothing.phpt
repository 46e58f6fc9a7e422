--TEST--
reload() under load recycles every worker after its current job and fails no job
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 2], 'queue' => ['size' => 4096]]);
$before = [];
for ($i = 0; $i < 10; $i++) $before[(string) $pool->call('pid')['booted']] = true;
$futures = [];
for ($i = 0; $i < 2000; $i++) {
    $futures[] = $pool->submit('echo', $i);
    if ($i === 500 || $i === 1200) $pool->reload();
}
$ok = 0;
foreach ($futures as $i => $f) if ($f->wait(10) === $i) $ok++;
echo "$ok of 2000 answered\n";
// Idle workers of the old generation leave within moments; wait for that.
$deadline = microtime(true) + 5;
while (microtime(true) < $deadline) {
    $gens = array_column($pool->stats()['workers'], 'generation');
    if (min($gens) === 3) break;
    usleep(10000);
}
$st = $pool->stats();
var_dump($st['generation'], $st['recycles']['reload'] >= 2, $st['jobs']['worker_died'] + $st['jobs']['busy']);
$after = (string) $pool->call('pid')['booted'];
var_dump(isset($before[$after]));
?>
--EXPECT--
2000 of 2000 answered
int(3)
bool(true)
int(0)
bool(false)
