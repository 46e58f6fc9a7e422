--TEST--
Redis: while Redis is down, push() fails with JobsException naming the queue and /readyz says the broker is unreachable; when Redis comes back the consumers reconnect (no busy loop) and every job pushed before the outage runs
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/redis_server.php'; if ($why = redis_unavailable()) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/redis_server.php';
require __DIR__ . '/../../fixtures/jobs_harness.php';
$redis = redis_start();
$log = jobs_log();
$mport = folk_free_port();
$cfg = ['driver' => 'redis', 'redis' => ['url' => $redis['url']], 'queues' => ['q' => ['concurrency' => 2]]];
$srv = jobs_server($cfg, ['metrics' => ['listen' => "127.0.0.1:$mport"]]);
folk_wait_port($mport, $srv[0], $srv[3]);
$jobs = new Folk\Jobs($cfg);
// Pushed while nothing runs them yet: delayed past the outage.
$jobs->pushMany('q', array_map(fn ($i) => ['name' => 'record', 'payload' => ['log' => $log, 'i' => $i], 'delay' => '1500ms'], range(1, 5)));
var_dump(folk_http($mport, 'GET', '/readyz')[0]);
redis_stop($redis, false);
try { $jobs->push('q', 'record', ['log' => $log]); echo "pushed?!\n"; }
catch (Folk\Exception\JobsException $e) { echo get_class($e), ' [', $e->getQueue(), '] ', str_contains($e->getReason(), 'Redis at redis://127.0.0.1:') ? 'names Redis' : $e->getReason(), "\n"; }
$deadline = microtime(true) + 5;
do { [$st, , $body] = folk_http($mport, 'GET', '/readyz'); } while ($st === 200 && microtime(true) < $deadline && usleep(50000) === null);
var_dump($st, str_starts_with($body, 'not ready: jobs broker unreachable: '));
// A consumer that retried in a busy loop would fill the log with warnings; it warns once per outage.
usleep(1500000);
echo "warnings while down: ", substr_count(file_get_contents($srv[3]), 'cannot take jobs') <= 1 ? 'at most one' : 'MANY', "\n";
$redis = redis_start($redis['port'], $redis['dir']);
$a = jobs_wait($log, 5, 15);
var_dump(count($a));
var_dump(strlen($jobs->push('q', 'record', ['log' => $log, 'i' => 6])) > 0);
var_dump(count(jobs_wait($log, 6)));
$deadline = microtime(true) + 5;
while (folk_http($mport, 'GET', '/readyz')[0] !== 200 && microtime(true) < $deadline) usleep(50000);
var_dump(folk_http($mport, 'GET', '/readyz')[0]);
folk_stop_server($srv);
redis_stop($redis);
?>
--EXPECT--
int(200)
Folk\Exception\JobsException [q] names Redis
int(503)
bool(true)
warnings while down: at most one
int(5)
bool(true)
int(6)
int(200)
