--TEST--
20,000 jobs from 4 concurrent submitters with failures mixed in: every job gets exactly one answer, the right one
--INI--
display_errors=0
log_errors=0
--ENV--
FOLK_LOG=off
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 4], 'queue' => ['size' => 100000]]);
mt_srand(7);
$expect = ['ok' => 0, 'app' => 0, 'died' => 0];
$got = ['ok' => 0, 'app' => 0, 'died' => 0, 'wrong' => 0];
// 4 submitters, each keeping a window of 50 jobs in flight.
$windows = [[], [], [], []];
$settle = function (array $item) use (&$got) {
    [$f, $kind, $n] = $item;
    try {
        $r = $f->wait(30);
        if ($kind === 'ok' && $r === ['n' => $n]) $got['ok']++; else $got['wrong']++;
    } catch (Folk\Exception\ApplicationException $e) {
        $kind === 'app' && str_contains($e->getMessage(), (string) $n) ? $got['app']++ : $got['wrong']++;
    } catch (Folk\Exception\WorkerDiedException $e) {
        $kind === 'died' ? $got['died']++ : $got['wrong']++;
    }
};
for ($i = 0; $i < 20000; $i++) {
    $s = $i % 4;
    $r = mt_rand(1, 1000);
    [$kind, $method] = $r <= 10 ? ['app', 'throw'] : ($r <= 12 ? ['died', 'fatal'] : ['ok', 'echo']);
    $expect[$kind]++;
    $windows[$s][] = [$pool->submit($method, $kind === 'app' ? $i : ['n' => $i]), $kind, $i];
    if (count($windows[$s]) >= 50) $settle(array_shift($windows[$s]));
}
foreach ($windows as $w) foreach ($w as $item) $settle($item);
var_dump($got['wrong']);
var_dump($got['ok'] === $expect['ok'], $got['app'] === $expect['app'], $got['died'] === $expect['died']);
$st = $pool->stats();
var_dump($st['jobs']['submitted'], $st['jobs']['ok'] + $st['jobs']['application_errors'] + $st['jobs']['worker_died']);
?>
--EXPECT--
int(0)
bool(true)
bool(true)
bool(true)
int(20000)
int(20000)
