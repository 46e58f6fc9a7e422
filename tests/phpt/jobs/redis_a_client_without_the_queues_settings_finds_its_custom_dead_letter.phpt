--TEST--
Redis: a Folk\Jobs whose options do not repeat the server's queue settings (a web request's, a script's) counts and requeues the dead letters under the queue's custom dead_letter, which the consuming server recorded in Redis; it wins over a client's own stale dead_letter, and unreadable entries go there too
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/redis_server.php'; if ($why = redis_unavailable()) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/redis_server.php';
require __DIR__ . '/../../fixtures/jobs_harness.php';
$redis = redis_start();
$log = jobs_log();
$srv = jobs_server(['driver' => 'redis', 'redis' => ['url' => $redis['url']], 'queues' => ['hooks' => ['max_retries' => 0, 'dead_letter' => 'hooks-dead']]]);
$client = new Folk\Jobs(['driver' => 'redis', 'redis' => ['url' => $redis['url']]]);
$stale = new Folk\Jobs(['driver' => 'redis', 'redis' => ['url' => $redis['url']], 'queues' => ['hooks' => ['dead_letter' => 'hooks-old']]]);
$client->pushMany('hooks', array_fill(0, 3, ['name' => 'fail', 'payload' => ['log' => $log]]));
jobs_wait($log, 3);
$deadline = microtime(true) + 5;
while (trim(redis_cli($redis['port'], 'XLEN', 'folk:{hooks}:dl:hooks-dead')) !== '3' && microtime(true) < $deadline) usleep(20000);
echo "in folk:{hooks}:dl:hooks-dead: ", trim(redis_cli($redis['port'], 'XLEN', 'folk:{hooks}:dl:hooks-dead')), "\n";
echo "recorded: ", trim(redis_cli($redis['port'], 'HGET', 'folk:{hooks}:meta', 'dead_letter')), "\n";
$s = $client->stats('hooks');
echo "client sees dead: {$s['dead']}, failed: {$s['failed']}\n";
echo "a client naming another dead letter sees dead: ", $stale->stats('hooks')['dead'], "\n";
echo "requeued: ", $client->retryDead('hooks'), "\n";
$a = jobs_wait($log, 6);
echo "run again from attempt 1: ", implode(',', array_column(array_slice($a, 3), 'attempt')), "\n";
$deadline = microtime(true) + 5;
while ($client->stats('hooks')['dead'] < 3 && microtime(true) < $deadline) usleep(20000);
redis_cli($redis['port'], 'XADD', 'folk:{hooks}:ready', '*', 'job', 'not a job');
while ($client->stats('hooks')['dead'] < 4 && microtime(true) < $deadline) usleep(20000);
echo "an unreadable entry is dead-lettered there too: ", trim(redis_cli($redis['port'], 'XLEN', 'folk:{hooks}:dl:hooks-dead')), "\n";
folk_stop_server($srv);
redis_stop($redis);
?>
--EXPECT--
in folk:{hooks}:dl:hooks-dead: 3
recorded: hooks-dead
client sees dead: 3, failed: 3
a client naming another dead letter sees dead: 3
requeued: 3
run again from attempt 1: 1,1,1
an unreadable entry is dead-lettered there too: 4
