--TEST--
Redis: read-ahead holds about 100 ms of work, so 250 ms jobs are not read ahead: two servers on one queue (concurrency 1, prefetch left at 256) share eight of them instead of one server hoarding them
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/redis_server.php'; if ($why = redis_unavailable()) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/redis_server.php';
require __DIR__ . '/../../fixtures/jobs_harness.php';
$redis = redis_start();
$log = jobs_log();
$cfg = ['driver' => 'redis', 'redis' => ['url' => $redis['url']], 'queues' => ['long' => ['concurrency' => 1]]];
$a = jobs_server($cfg);
$b = jobs_server($cfg);
$pids = [proc_get_status($a[0])['pid'], proc_get_status($b[0])['pid']];
usleep(300000); // both consumers are reading
$jobs = new Folk\Jobs($cfg);
$jobs->pushMany('long', array_map(fn ($i) => ['name' => 'work', 'payload' => ['log' => $log, 'us' => 250000]], range(1, 8)));
$ends = [];
$deadline = microtime(true) + 15;
while (count($ends) < 8 && microtime(true) < $deadline) {
    usleep(20000);
    $ends = array_filter(jobs_attempts($log), fn ($x) => $x['phase'] === 'end');
}
echo "all 8 ran: ", count($ends) === 8 ? 'yes' : 'no (' . count($ends) . ')', "\n";
// With a read-ahead that ignored job length, the first server to finish a job would take every
// job left (up to prefetch 256) and run them one by one while the other server idled.
$per = array_count_values(array_column($ends, 'pid'));
$counts = [$per[$pids[0]] ?? 0, $per[$pids[1]] ?? 0];
echo "each server ran at least 3 of the 8: ", min($counts) >= 3 ? 'yes' : 'no (' . implode(' and ', $counts) . ')', "\n";
$s = $jobs->stats('long');
var_dump([$s['ready'], $s['running'], $s['done']]);
folk_stop_server($a);
folk_stop_server($b);
redis_stop($redis);
?>
--EXPECT--
all 8 ran: yes
each server ran at least 3 of the 8: yes
array(3) {
  [0]=>
  int(0)
  [1]=>
  int(0)
  [2]=>
  int(8)
}
