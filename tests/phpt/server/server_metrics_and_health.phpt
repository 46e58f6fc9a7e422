--TEST--
The metrics plugin serves Prometheus text on /metrics, /healthz and /readyz
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$mport = folk_free_port();
$srv = folk_start_server(['workers' => ['count' => 2], 'metrics' => ['listen' => "127.0.0.1:$mport"]]);
folk_wait_port($mport, $srv[0], $srv[3]);
for ($i = 0; $i < 5; $i++) folk_http($srv[2], 'GET', '/');
folk_http($srv[2], 'GET', '/throw');
[$s, $h, $body] = folk_http($mport, 'GET', '/metrics');
var_dump($s, str_starts_with($h['content-type'][0], 'text/plain'));
foreach (['folk_workers{state="idle"}', 'folk_queue_depth', 'folk_jobs_total{outcome="ok"}', 'folk_recycles_total{reason="max_jobs"}', 'folk_boot_failures_total', 'folk_http_request_duration_seconds_bucket'] as $m) {
    echo $m, ': ', str_contains($body, $m) ? 'present' : 'MISSING', "\n";
}
preg_match('/^folk_jobs_total\{outcome="ok"\} (\d+)/m', $body, $m);
var_dump((int) $m[1] >= 5);
var_dump(folk_http($mport, 'GET', '/healthz')[0], folk_http($mport, 'GET', '/readyz')[0]);
folk_stop_server($srv);
?>
--EXPECT--
int(200)
bool(true)
folk_workers{state="idle"}: present
folk_queue_depth: present
folk_jobs_total{outcome="ok"}: present
folk_recycles_total{reason="max_jobs"}: present
folk_boot_failures_total: present
folk_http_request_duration_seconds_bucket: present
bool(true)
int(200)
int(200)
