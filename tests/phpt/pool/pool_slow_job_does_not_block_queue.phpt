--TEST--
A slow job never delays a job queued behind it while another worker is idle
--FILE--
<?php
$pool = new Folk\Pool(__DIR__ . '/../../fixtures/worker_echo.php', ['workers' => ['count' => 2]]);
$slow = $pool->submit('sleep', 2);
usleep(50000);
$t = microtime(true);
for ($i = 0; $i < 20; $i++) {
    if ($pool->call('echo', $i) !== $i) echo "wrong answer\n";
}
$elapsed = microtime(true) - $t;
echo $elapsed < 0.5 ? "fast jobs not blocked\n" : "fast jobs waited {$elapsed}s\n";
var_dump($slow->wait());
?>
--EXPECT--
fast jobs not blocked
string(5) "slept"
