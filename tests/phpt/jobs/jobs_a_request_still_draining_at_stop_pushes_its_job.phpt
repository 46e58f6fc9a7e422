--TEST--
Jobs: a request still running when the server is told to stop can push a job with the server's own client (new Folk\Jobs()): HTTP drains before the jobs plugin shuts down, so the push succeeds and the job waits in Redis for the next server
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/redis_server.php'; if ($why = redis_unavailable()) echo "skip $why";
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/redis_server.php';
require __DIR__ . '/../../fixtures/jobs_harness.php';
$redis = redis_start();
$log = jobs_log();
$cfg = ['driver' => 'redis', 'redis' => ['url' => $redis['url']], 'queues' => ['q' => ['concurrency' => 1]]];
$srv = jobs_server($cfg, ['server' => ['shutdown_timeout' => '5s']]);
// The request waits 600 ms before it pushes; the stop comes 200 ms into it.
$c = stream_socket_client("tcp://127.0.0.1:$srv[2]", $errno, $errstr, 5);
fwrite($c, folk_http_request('GET', '/push-after?us=600000&queue=q&log=' . urlencode($log), ['connection' => 'close'], ''));
usleep(200000);
$pid = proc_get_status($srv[0])['pid'];
posix_kill($pid, SIGTERM);
stream_set_timeout($c, 10);
[$status, , $body] = folk_read_response($c);
$id = json_decode($body, true);
echo "the draining request answered: $status, ", is_string($id) && $id !== '' ? 'with the job id' : "body $body", "\n";
[$code, $out] = folk_stop_server($srv);
echo "server exit $code\n";
$jobs = new Folk\Jobs($cfg);
$s = $jobs->stats('q');
echo "the job waits in Redis: ", json_encode([$s['ready'], $s['failed']]), "\n";
if ($status !== 200) echo $out;
$srv = jobs_server($cfg);
$a = jobs_wait($log, 1);
echo "the next server runs it: ", ($a[0]['id'] ?? null) === $id ? 'yes' : 'no', "\n";
folk_stop_server($srv);
redis_stop($redis);
?>
--EXPECT--
the draining request answered: 200, with the job id
server exit 0
the job waits in Redis: [1,0]
the next server runs it: yes
