--TEST--
kill -9 of the server leaves no side process behind (the kernel kills them: PR_SET_PDEATHSIG from the supervisor thread that spawned them); under server.supervise the restarted server starts them again
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/processes_harness.php';

/** Whether $pid is alive (a zombie waiting for a reaper counts as dead). */
function alive(int $pid): bool
{
    $stat = @file_get_contents("/proc/$pid/stat");
    return $stat !== false && !preg_match('/\) [ZX] /', $stat);
}
function gone_within(array $pids, float $timeout): bool
{
    $deadline = microtime(true) + $timeout;
    while (microtime(true) < $deadline) {
        if (!array_filter($pids, 'alive')) return true;
        usleep(20000);
    }
    return false;
}
function pids(string $file, int $n, float $timeout = 10.0): array
{
    $deadline = microtime(true) + $timeout;
    do {
        $pids = array_map('intval', file($file, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) ?: []);
        if (count($pids) >= $n) return $pids;
        usleep(20000);
    } while (microtime(true) < $deadline);
    return $pids;
}

// Plain: the server process itself dies.
$file = tempnam(sys_get_temp_dir(), 'folk-pids-');
$srv = folk_start_server(['workers' => ['count' => 1], 'processes' => [
    'a' => ['command' => side_process('pidfile', $file), 'numprocs' => 2],
    'b' => ['command' => side_process('ignore'), 'stop_timeout' => '30s'],
]]);
$pids = pids($file, 2);
preg_match('/\[b\.0\] started \(pid (\d+)\)/', file_get_contents($srv[3]), $m);
$pids[] = (int) $m[1];
var_dump(count(array_filter($pids, 'alive')));
folk_stop_server($srv, 9);
var_dump(gone_within($pids, 3.0));

// Supervised: the server child dies; its processes with it, and the next child starts new ones.
file_put_contents($file, '');
$srv = folk_start_server(['workers' => ['count' => 1], 'server' => ['supervise' => true], 'processes' => [
    'a' => ['command' => side_process('pidfile', $file)],
]]);
[$first] = pids($file, 1);
$child = (int) preg_split('/\s+/', substr(file_get_contents("/proc/$first/stat"), strrpos(file_get_contents("/proc/$first/stat"), ')') + 2))[1];
var_dump($child !== proc_get_status($srv[0])['pid']);
posix_kill($child, 9);
var_dump(gone_within([$first], 3.0));
$after = pids($file, 2);
var_dump(count($after) === 2 && alive($after[1]));
[$code] = folk_stop_server($srv);
var_dump($code, gone_within($after, 3.0));
unlink($file);
?>
--EXPECT--
int(3)
bool(true)
bool(true)
bool(true)
bool(true)
int(0)
bool(true)
