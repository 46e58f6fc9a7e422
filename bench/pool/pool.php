<?php
// Pool benchmarks (run by scripts/bench.sh, not by the tests):
//  1. round trip of a no-op job from PHP, p50/p99, back to back (one caller);
//  2. CPU-bound jobs on 1 slot vs 2 slots (speed-up);
//  3. RSS added per extra ZTS slot with this hello-world worker.
// Prints one machine-readable line per figure.
$worker = __DIR__ . '/worker.php';

function pct(array $xs, float $p): float { sort($xs); return $xs[(int) min(count($xs) - 1, floor($p * count($xs)))]; }
function rss_kb(): int { preg_match('/VmRSS:\s+(\d+)/', file_get_contents('/proc/self/status'), $m); return (int) $m[1]; }

// 1. round trip
$pool = new Folk\Pool($worker, ['workers' => ['count' => 1]]);
for ($i = 0; $i < 2000; $i++) $pool->call('noop');
$lat = [];
$n = (int) (getenv('BENCH_ROUNDTRIPS') ?: 50000);
$t0 = hrtime(true);
for ($i = 0; $i < $n; $i++) {
    $t = hrtime(true);
    $pool->call('noop');
    $lat[] = (hrtime(true) - $t) / 1000;
}
$total = (hrtime(true) - $t0) / 1e9;
printf("pool roundtrip_php p50_us=%.1f p99_us=%.1f n=%d calls_per_s=%.0f\n", pct($lat, 0.5), pct($lat, 0.99), $n, $n / $total);
$pool->close();

// 2. CPU-bound: 1 slot vs 2 slots, same 40 jobs; best of 3 runs each, because
// one 0.2 s run on a shared VM swings by ±15%.
$jobs = 40; $work = (int) (getenv('BENCH_BURN') ?: 2_000_000);
$time = [];
foreach ([1, 2] as $slots) {
    $pool = new Folk\Pool($worker, ['workers' => ['count' => $slots]]);
    // Every slot booted and warm before the clock starts.
    $warm = [];
    for ($i = 0; $i < $slots * 4; $i++) $warm[] = $pool->submit('burn', 1000);
    foreach ($warm as $f) $f->wait();
    $time[$slots] = INF;
    for ($run = 0; $run < 3; $run++) {
        $t = hrtime(true);
        $fs = [];
        for ($i = 0; $i < $jobs; $i++) $fs[] = $pool->submit('burn', $work);
        foreach ($fs as $f) $f->wait();
        $time[$slots] = min($time[$slots], (hrtime(true) - $t) / 1e9);
    }
    $pool->close();
}
printf("pool cpu_bound jobs=%d slots1_s=%.3f slots2_s=%.3f speedup=%.2f\n", $jobs, $time[1], $time[2], $time[1] / $time[2]);

// 3. RSS per slot
gc_collect_cycles();
$base = rss_kb();
$small = new Folk\Pool($worker, ['workers' => ['count' => 1]]);
$small->call('noop');
$one = rss_kb();
$big = new Folk\Pool($worker, ['workers' => ['count' => 9]]);
for ($i = 0; $i < 50; $i++) $big->call('noop');
$ten = rss_kb();
printf("pool rss_per_slot_kb=%.0f (1 slot: +%d KiB; 9 more slots: +%d KiB)\n", ($ten - $one) / 9, $one - $base, $ten - $one);

// 4. idle CPU: 4 idle workers for 3 s
$idle = new Folk\Pool($worker, ['workers' => ['count' => 4]]);
$idle->call('noop');
$ru0 = getrusage(); $t = microtime(true);
sleep(3);
$ru1 = getrusage(); $wall = microtime(true) - $t;
$cpu = ($ru1['ru_utime.tv_sec'] + $ru1['ru_stime.tv_sec'] - $ru0['ru_utime.tv_sec'] - $ru0['ru_stime.tv_sec'])
     + ($ru1['ru_utime.tv_usec'] + $ru1['ru_stime.tv_usec'] - $ru0['ru_utime.tv_usec'] - $ru0['ru_stime.tv_usec']) / 1e6;
printf("pool idle_cpu workers=4 cpu_percent=%.2f over %.1fs\n", 100 * $cpu / $wall, $wall);
