--TEST--
/metrics shows jobs by queue and outcome (done, retried, dead, timeout), ready/delayed/running/dead gauges, the job duration histogram, the broker state, and application metrics from Folk\Metrics with labels; a metric used as another kind is refused by name
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/jobs_harness.php';
$log = jobs_log();
$mport = folk_free_port();
$srv = jobs_server(['driver' => 'memory', 'queues' => ['mail' => ['max_retries' => 1, 'retry_delay' => 0], 'later' => []]],
    ['metrics' => ['listen' => "127.0.0.1:$mport"]]);
folk_wait_port($mport, $srv[0], $srv[3]);
jobs_push($srv, 'mail', [['name' => 'record', 'payload' => ['log' => $log]], ['name' => 'record', 'payload' => ['log' => $log]], ['name' => 'fail', 'payload' => ['log' => $log]]]);
jobs_push($srv, 'later', [['name' => 'record', 'payload' => ['log' => $log], 'delay' => '1h']]);
jobs_wait_stats($srv, 'mail', fn ($s) => $s['dead'] === 1);
foreach (['a', 'a', 'b'] as $shop) folk_http($srv[2], 'GET', "/metric?shop=$shop&items=5");
echo folk_http($srv[2], 'GET', '/metric?bad=1')[2], "\n";
usleep(1200000); // the gauges refresh about once a second
[$status, , $m] = folk_http($mport, 'GET', '/metrics');
var_dump($status);
foreach ([
    'folk_jobs_broker_up{driver="memory"} 1',
    'folk_queue_jobs_total{queue="mail",outcome="done"} 2',
    'folk_queue_jobs_total{queue="mail",outcome="retried"} 1',
    'folk_queue_jobs_total{queue="mail",outcome="dead"} 1',
    'folk_queue_jobs_total{queue="mail",outcome="timeout"} 0',
    'folk_queue_jobs{queue="mail",state="dead"} 1',
    'folk_queue_jobs{queue="later",state="delayed"} 1',
    'folk_queue_jobs{queue="later",state="ready"} 0',
    'folk_queue_job_duration_seconds_count{queue="mail"} 4',
    '# TYPE shop_orders_total counter',
    'shop_orders_total{shop="a"} 3',
    'shop_orders_total{shop="b"} 1',
    'shop_cart_items{shop="b"} 5',
    'shop_checkout_seconds_bucket{le="0.025"} 4',
    'shop_checkout_seconds_count 4',
] as $line) echo $line, ': ', str_contains($m, "$line\n") ? 'present' : 'MISSING', "\n";
folk_stop_server($srv);
?>
--EXPECT--
Folk\Exception\InvalidArgumentException: metric 'shop_orders_total': it is a counter, not a gauge
int(200)
folk_jobs_broker_up{driver="memory"} 1: present
folk_queue_jobs_total{queue="mail",outcome="done"} 2: present
folk_queue_jobs_total{queue="mail",outcome="retried"} 1: present
folk_queue_jobs_total{queue="mail",outcome="dead"} 1: present
folk_queue_jobs_total{queue="mail",outcome="timeout"} 0: present
folk_queue_jobs{queue="mail",state="dead"} 1: present
folk_queue_jobs{queue="later",state="delayed"} 1: present
folk_queue_jobs{queue="later",state="ready"} 0: present
folk_queue_job_duration_seconds_count{queue="mail"} 4: present
# TYPE shop_orders_total counter: present
shop_orders_total{shop="a"} 3: present
shop_orders_total{shop="b"} 1: present
shop_cart_items{shop="b"} 5: present
shop_checkout_seconds_bucket{le="0.025"} 4: present
shop_checkout_seconds_count 4: present
