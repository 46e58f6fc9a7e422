<?php
// Jobs benchmarks (run by scripts/bench.sh, not by the tests), one machine-readable line per figure:
//  1. no-op job throughput, push from PHP -> done: folk memory, folk Redis, a plain PHP BLPOP
//     consumer loop over a socket (no acknowledgement: a job taken by a consumer that dies is
//     lost), a plain PHP stream consumer with folk's guarantee (XREADGROUP, XACK after the
//     handler) and Laravel's queue:work on its Redis driver (bench/jobs/laravel_queue.php),
//     with the same number of PHP threads running jobs; the
//     Redis figures twice: with `appendfsync always` (every acknowledged write on disk before
//     the reply, as the tests run Redis) and `everysec` (Redis's default), since an fsync per
//     round trip is what bounds a consumer that makes a round trip per job;
//  2. push -> handler start latency on an idle server, p50/p99, Redis and memory.
// BENCH_JOBS_N (default 20000), BENCH_JOBS_THREADS (default 2), BENCH_JOBS_PROBES (default 500).
require __DIR__ . '/../../tests/fixtures/redis_server.php';
require __DIR__ . '/resp.php';

$N = (int) (getenv('BENCH_JOBS_N') ?: 20000);
$K = (int) (getenv('BENCH_JOBS_THREADS') ?: 2);
$PROBES = (int) (getenv('BENCH_JOBS_PROBES') ?: 500);
if ($why = redis_unavailable()) { fwrite(STDERR, "jobs bench skipped: $why\n"); exit(0); }

function pct(array $xs, float $p): float { sort($xs); return $xs[(int) min(count($xs) - 1, floor($p * count($xs)))]; }

/** A folk server whose K job slots are its K job-running threads (+1 worker slot folk keeps for HTTP). */
function bench_server(array $jobs, int $k): array
{
    return folk_start_server(['worker' => __DIR__ . '/worker.php', 'workers' => ['count' => $k + 1], 'server' => ['main_worker' => false],
        'log' => ['level' => 'warn'], 'jobs' => $jobs + ['queues' => ['bench' => ['concurrency' => 2 * $k]]]]);
}

function wait_done(callable $stats, int $n, float $timeout = 120): bool
{
    $deadline = microtime(true) + $timeout;
    while (microtime(true) < $deadline) {
        if (($stats()['done'] ?? 0) >= $n) return true;
        usleep(2000);
    }
    return false;
}

// 1a. folk, memory: pushed from inside the server (the memory broker is in-process).
$srv = bench_server(['driver' => 'memory'], $K);
$stats = fn () => json_decode(folk_http($srv[2], 'GET', '/stats')[2], true);
folk_http($srv[2], 'GET', '/push?n=1000');                       // warm up
wait_done($stats, 1000);
$t = microtime(true);
folk_http($srv[2], 'GET', "/push?n=$N");
$ok = wait_done($stats, $N + 1000);
$dt = microtime(true) - $t;
printf("jobs folk_memory jobs_per_s=%.0f n=%d php_threads=%d%s\n", $N / $dt, $N, $K, $ok ? '' : ' INCOMPLETE');
$lat = [];
$file = tempnam(sys_get_temp_dir(), 'folk-bench-lat-');
for ($i = 0; $i < $PROBES; $i++) { folk_http($srv[2], 'GET', '/lat?file=' . urlencode($file)); usleep(2000); }
usleep(200000);
$lat = array_map('floatval', file($file, FILE_IGNORE_NEW_LINES));
printf("jobs folk_memory push_to_start p50_us=%.0f p99_us=%.0f n=%d\n", pct($lat, 0.5) * 1e6, pct($lat, 0.99) * 1e6, count($lat));
folk_stop_server($srv);

/** 1b. folk, Redis: pushed from this CLI process. Returns jobs/s. */
function bench_folk_redis(array $redis, int $N, int $K, string $fsync, int $probes): float
{
    $cfg = ['driver' => 'redis', 'redis' => ['url' => $redis['url']]];
    $srv = bench_server($cfg, $K);
    $jobs = new Folk\Jobs($cfg);
    $stats = fn () => $jobs->stats('bench');
    $jobs->pushMany('bench', array_fill(0, 1000, ['name' => 'noop']));
    wait_done($stats, 1000);
    $t = microtime(true);
    for ($left = $N; $left > 0; $left -= 1000) $jobs->pushMany('bench', array_fill(0, min(1000, $left), ['name' => 'noop']));
    $pushed = microtime(true) - $t;
    $ok = wait_done($stats, $N + 1000);
    $dt = microtime(true) - $t;
    printf("jobs folk_redis fsync=%s jobs_per_s=%.0f n=%d php_threads=%d push_per_s=%.0f%s\n", $fsync, $N / $dt, $N, $K, $N / $pushed, $ok ? '' : ' INCOMPLETE');
    if ($probes > 0) {
        $file = tempnam(sys_get_temp_dir(), 'folk-bench-lat-');
        for ($i = 0; $i < $probes; $i++) { $jobs->push('bench', 'lat', ['t' => microtime(true), 'file' => $file]); usleep(2000); }
        usleep(300000);
        $lat = array_map('floatval', file($file, FILE_IGNORE_NEW_LINES));
        printf("jobs folk_redis fsync=%s push_to_start p50_us=%.0f p99_us=%.0f n=%d\n", $fsync, pct($lat, 0.5) * 1e6, pct($lat, 0.99) * 1e6, count($lat));
        unlink($file);
    }
    folk_stop_server($srv);
    return $ok ? $N / $dt : 0.0;
}

/**
 * K plain PHP consumer processes ($script, run with the port and $args($i)) take N JSON jobs that
 * this process writes with the command $push($job) (1000 per round trip, each answered by $lines
 * reply lines), then one 'stop' job each. Prints the figure as `jobs $label`; returns jobs/s, 0 if a job was not taken.
 */
function bench_php_consumers(string $label, array $redis, int $N, int $K, string $fsync, string $script, callable $args, callable $push, int $lines): float
{
    $consumers = $outs = [];
    for ($i = 0; $i < $K; $i++) {
        $consumers[] = proc_open([PHP_BINARY, '-n', __DIR__ . "/$script", (string) $redis['port'], ...$args($i)], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        $outs[] = $pipes[1];
    }
    usleep(200000);
    $c = stream_socket_client("tcp://127.0.0.1:{$redis['port']}");
    $job = json_encode(['id' => str_repeat('a', 32), 'name' => 'noop', 'payload' => null, 'attempt' => 1, 'enqueued_at' => microtime(true)]);
    $t = microtime(true);
    for ($left = $N; $left > 0; $left -= 1000) {
        $m = min(1000, $left);
        fwrite($c, str_repeat($push($job), $m));
        for ($i = 0; $i < $m * $lines; $i++) fgets($c);
    }
    fwrite($c, str_repeat($push(json_encode(['name' => 'stop'])), $K));
    for ($i = 0; $i < $K * $lines; $i++) fgets($c);
    $taken = 0;
    foreach ($consumers as $i => $p) { $taken += (int) stream_get_contents($outs[$i]); proc_close($p); }
    $dt = microtime(true) - $t;
    printf("jobs %s fsync=%s jobs_per_s=%.0f n=%d php_processes=%d%s\n", $label, $fsync, $N / $dt, $N, $K, $taken === $N ? '' : " INCOMPLETE ($taken)");
    return $taken === $N ? $N / $dt : 0.0;
}

/** 1c. the baseline: K plain PHP processes looping on BLPOP (bench/jobs/consumer.php); the same JSON jobs, RPUSHed. */
function bench_blpop(array $redis, int $N, int $K, string $fsync): float
{
    $list = 'bench:blpop';
    return bench_php_consumers('php_blpop_loop', $redis, $N, $K, $fsync, 'consumer.php', fn ($i) => [$list], fn ($v) => resp('RPUSH', $list, $v), 1);
}

/**
 * 1d. the same guarantee as folk's in plain PHP: K processes on a Redis stream with a consumer
 * group, each job read alone and acknowledged after its handler (bench/jobs/consumer_streams.php).
 */
function bench_streams(array $redis, int $N, int $K, string $fsync): float
{
    $stream = 'bench:streams';
    $c = stream_socket_client("tcp://127.0.0.1:{$redis['port']}");
    fwrite($c, resp('XGROUP', 'CREATE', $stream, 'bench', '$', 'MKSTREAM'));
    fgets($c);
    // An XADD is answered with the entry id: a bulk string, two lines.
    return bench_php_consumers('php_streams_loop', $redis, $N, $K, $fsync, 'consumer_streams.php', fn ($i) => [$stream, "c$i"], fn ($v) => resp('XADD', $stream, '*', 'job', $v), 2);
}

/** 1e. Laravel's queue:work on its Redis driver (phpredis), K processes on Debian's PHP. */
function bench_laravel(array $redis, int $N, int $K, string $fsync): float
{
    $out = shell_exec(implode(' ', array_map('escapeshellarg', [PHP_BINARY, '-n', __DIR__ . '/laravel_queue.php', (string) $redis['port'], (string) $N, (string) $K])));
    $line = trim((string) $out);
    if ($line === '') return 0.0;
    echo str_replace('jobs laravel_queue_work ', "jobs laravel_queue_work fsync=$fsync ", $line), "\n";
    return !str_contains($line, 'INCOMPLETE') && preg_match('/jobs_per_s=(\d+)/', $line, $m) ? (float) $m[1] : 0.0;
}

foreach (['always', 'everysec'] as $fsync) {
    $redis = redis_start(null, null, $fsync);
    $folk = bench_folk_redis($redis, $N, $K, $fsync, $fsync === 'always' ? $PROBES : 0);
    $blpop = bench_blpop($redis, $N, $K, $fsync);
    $streams = bench_streams($redis, $N, $K, $fsync);
    $laravel = is_file(__DIR__ . '/laravel_queue.php') ? bench_laravel($redis, $N, $K, $fsync) : 0.0;
    $ratio = fn (float $base) => $folk > 0 && $base > 0 ? sprintf('%.2f', $folk / $base) : 'n/a';
    printf("jobs ratio fsync=%s folk_redis_vs_blpop=%s folk_redis_vs_streams=%s folk_redis_vs_laravel=%s\n", $fsync, $ratio($blpop), $ratio($streams), $ratio($laravel));
    redis_stop($redis);
}
