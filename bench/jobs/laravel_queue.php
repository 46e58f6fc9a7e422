<?php
// Jobs benchmark baseline: Laravel's queue:work on the Redis driver, the background-job
// tool a PHP developer would pick instead of folk's jobs plugin. The Laravel 8 app in
// laravel/ (Debian's php-laravel-framework, the phpredis client, Debian's PHP 8.2 CLI)
// dispatches N no-op jobs to queue "bench", then K `artisan queue:work` processes drain it.
// Run: php bench/jobs/laravel_queue.php <redis_port> <N> <K>   (any PHP; the app runs on /usr/bin/php8.2)
// Prints one line:
//   jobs laravel_queue_work jobs_per_s=<N/(push_s+consume_s)> n=N php_processes=K push_per_s=.. consume_per_s=..
// with " INCOMPLETE (<jobs ran>)" when fewer than N jobs ran, or anything is left in Redis, or 300 s passed.
require __DIR__ . '/../../tests/fixtures/fpm_reference.php';
require __DIR__ . '/resp.php';

const PHP82 = '/usr/bin/php8.2';
const APP = __DIR__ . '/laravel';
const PACKAGES = ['php-laravel-framework', 'php-redis'];
const BUDGET_S = 300.0;
// RedisQueue::getQueue(): "queues:<name>" (the app sets no prefix); reserved and delayed jobs wait in sorted sets beside it.
const QUEUE_KEY = 'queues:bench';

/** Why the app cannot run (a skip reason), or null once Laravel and phpredis are there for php8.2. */
function laravel_unavailable(): ?string
{
    $present = fn () => is_file('/usr/share/php/Illuminate/Foundation/Application.php') && is_executable(PHP82)
        && trim((string) shell_exec(PHP82 . ' -r "echo extension_loaded(\'redis\') ? 1 : 0;" 2>/dev/null')) === '1';
    if ($present()) return null;
    if (!function_exists('posix_geteuid') || posix_geteuid() !== 0) return implode(' ', PACKAGES) . ' missing and not root to apt-get them';
    $lock = fopen(sys_get_temp_dir() . '/folk-frameworks-apt.lock', 'c');
    flock($lock, LOCK_EX);
    if (!$present()) fpm_apt_install(PACKAGES);
    flock($lock, LOCK_UN);
    return $present() ? null : 'apt-get could not install ' . implode(' ', PACKAGES) . ' (no network?)';
}

/** One Redis command answered with an integer, hand-written RESP on one connection. */
function redis_int(int $port, string ...$args): int
{
    static $c;
    $c ??= stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 5) ?: throw new RuntimeException("redis at 127.0.0.1:$port: $errstr");
    fwrite($c, resp(...$args));
    $line = (string) fgets($c);
    if ($line === '' || $line[0] !== ':') throw new RuntimeException('redis ' . implode(' ', $args) . ': ' . trim($line));
    return (int) substr($line, 1);
}

/**
 * Runs the artisan commands at once, each with its env; waits until all exited or the deadline.
 * Returns [seconds from start to the last exit, stdout of each, all exited before the deadline?].
 */
function artisan_all(array $commands, array $envs, float $deadline): array
{
    $t = microtime(true);
    $procs = $outs = [];
    foreach ($commands as $i => $args) {
        $procs[$i] = proc_open([PHP82, APP . '/artisan', ...$args], [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => STDERR], $pipes, APP, $envs[$i]);
        $outs[$i] = $pipes[1];
        stream_set_blocking($outs[$i], false);
    }
    $text = array_fill_keys(array_keys($procs), '');
    $running = $procs;
    $wait = function (float $until) use (&$running, &$text, $outs): void {
        while ($running && microtime(true) < $until) {
            foreach ($running as $i => $p) {
                $text[$i] .= stream_get_contents($outs[$i]);
                if (!proc_get_status($p)['running']) unset($running[$i]);
            }
            if ($running) usleep(2000);
        }
    };
    $wait($deadline);
    $dt = microtime(true) - $t;
    $late = (bool) $running;
    // Past the deadline: SIGTERM, on which queue:work finishes its job and exits (writing its count); then SIGKILL.
    foreach ($running as $p) proc_terminate($p);
    $wait(microtime(true) + 5);
    foreach ($running as $p) proc_terminate($p, 9);
    foreach ($procs as $i => $p) {
        $text[$i] .= stream_get_contents($outs[$i]);
        fclose($outs[$i]);
        proc_close($p);
    }
    return [$dt, $text, !$late];
}

if ($argc !== 4 || min((int) $argv[1], (int) $argv[2], (int) $argv[3]) < 1) {
    fwrite(STDERR, "usage: php bench/jobs/laravel_queue.php <redis_port> <N> <K>\n");
    exit(2);
}
[, $port, $N, $K] = array_map('intval', $argv);
if ($why = laravel_unavailable()) { fwrite(STDERR, "jobs laravel_queue_work skipped: $why\n"); exit(0); }

$deadline = microtime(true) + BUDGET_S;
$tmp = sys_get_temp_dir() . '/folk-bench-laravel-' . getmypid() . '-' . bin2hex(random_bytes(4));
mkdir($tmp, 0777, true);
try {
    redis_int($port, 'DEL', QUEUE_KEY, QUEUE_KEY . ':reserved', QUEUE_KEY . ':delayed', QUEUE_KEY . ':notify');
    // The app's storage and the manifests Laravel writes on boot: in the temp dir, nothing under laravel/.
    $env = getenv() + ['APP_STORAGE' => "$tmp/storage", 'REDIS_PORT' => (string) $port];
    foreach (['PACKAGES', 'SERVICES', 'CONFIG', 'ROUTES', 'EVENTS'] as $m) $env["APP_{$m}_CACHE"] = "$tmp/" . strtolower($m) . '.php';

    // The push: the command times its dispatch loop in the booted app; its process start is not counted.
    [, [$pushOut], $pushed] = artisan_all([['bench:push', (string) $N]], [$env], $deadline);
    $pushS = $pushed && is_numeric(trim($pushOut)) ? (float) trim($pushOut) : INF;

    // The workers start once every job is in Redis, and stop when the queue is empty; the
    // time runs from their start (PHP and Laravel booting included) until the last one exited.
    $workers = $envs = [];
    for ($i = 0; $i < $K; $i++) {
        $workers[] = ['queue:work', 'redis', '--queue=bench', '--sleep=0', '--tries=1', '--stop-when-empty', '--quiet'];
        $envs[] = $env + ['BENCH_COUNT_FILE' => "$tmp/ran.$i"];
    }
    [$consumeS, , $allExited] = $pushed ? artisan_all($workers, $envs, $deadline) : [INF, [], false];

    $ran = array_sum(array_map(fn ($i) => (int) @file_get_contents("$tmp/ran.$i"), range(0, $K - 1)));
    $left = ['list' => redis_int($port, 'LLEN', QUEUE_KEY), 'reserved' => redis_int($port, 'ZCARD', QUEUE_KEY . ':reserved'),
        'delayed' => redis_int($port, 'ZCARD', QUEUE_KEY . ':delayed')];
    if (array_sum($left)) fwrite(STDERR, 'jobs laravel_queue_work: left in Redis: ' . http_build_query($left, '', ' ') . "\n");
    $complete = $ran === $N && $allExited && !array_sum($left);
    printf("jobs laravel_queue_work jobs_per_s=%.0f n=%d php_processes=%d push_per_s=%.0f consume_per_s=%.0f%s\n",
        $N / ($pushS + $consumeS), $N, $K, $N / $pushS, $N / $consumeS, $complete ? '' : " INCOMPLETE ($ran)");
} finally {
    exec('rm -rf ' . escapeshellarg($tmp));
}
