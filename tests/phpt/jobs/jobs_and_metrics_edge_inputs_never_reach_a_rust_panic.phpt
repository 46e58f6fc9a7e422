--TEST--
Edge numbers and odd types fed to every Folk\Jobs and Folk\Metrics argument and option never reach a Rust panic; every refusal is a FolkException (or PHP's TypeError for a typed argument)
--FILE--
<?php
$edges = [
    '0' => 0, '-1' => -1, 'PHP_INT_MAX' => PHP_INT_MAX, 'PHP_INT_MIN' => PHP_INT_MIN, '1e20' => 1e20,
    'NAN' => NAN, 'INF' => INF, '-INF' => -INF, '""' => '', '"abc"' => 'abc', '[]' => [], 'null' => null,
    'true' => true, '"\xff"' => "\xff", 'long' => str_repeat('x', 70000), 'nested' => [[[1 => ['a' => NAN]]]],
];
$violations = [];
$tries = 0;
function probe(string $what, callable $f): void {
    global $violations, $tries;
    $tries++;
    try { $f(); }
    catch (Throwable $e) {
        $m = $e->getMessage();
        if (stripos($m, 'panic') !== false) $violations[] = "$what: panic reached PHP: " . get_class($e) . ": $m";
        elseif (!$e instanceof Folk\Exception\FolkException && !$e instanceof TypeError) $violations[] = "$what: " . get_class($e) . ": $m";
    }
}
$jobs = new Folk\Jobs(['driver' => 'memory']);
foreach ($edges as $name => $v) {
    probe("new Jobs($name)", fn () => new Folk\Jobs($v));
    foreach (['driver', 'redis.url', 'visibility_timeout', 'idempotency_ttl', 'queues', 'queues.q', 'queues.q.concurrency',
              'queues.q.max_retries', 'queues.q.retry_delay', 'queues.q.retry_backoff', 'queues.q.timeout', 'queues.q.dead_letter', 'queues.q.priority'] as $key) {
        probe("new Jobs([$key => $name])", fn () => new Folk\Jobs(['driver' => 'memory', $key => $v]));
    }
    probe("push(queue: $name)", fn () => $jobs->push($v, 'n'));
    probe("push(name: $name)", fn () => $jobs->push('q', $v));
    probe("push(payload: $name)", fn () => $jobs->push('q', 'n', $v));
    probe("push(options: $name)", fn () => $jobs->push('q', 'n', null, $v));
    probe("push(delay: $name)", fn () => $jobs->push('q', 'n', null, ['delay' => $v]));
    probe("push(id: $name)", fn () => $jobs->push('q', 'n', null, ['id' => $v]));
    probe("pushMany($name)", fn () => $jobs->pushMany('q', $v));
    probe("pushMany([$name])", fn () => $jobs->pushMany('q', [$v]));
    probe("pushMany([name => $name])", fn () => $jobs->pushMany('q', [['name' => $v]]));
    probe("stats($name)", fn () => $jobs->stats($v));
    probe("retryDead($name)", fn () => $jobs->retryDead($v));
    probe("counter(name: $name)", fn () => Folk\Metrics::counter($v));
    probe("counter(value: $name)", fn () => Folk\Metrics::counter('edge_total', $v));
    probe("gauge(value: $name)", fn () => Folk\Metrics::gauge('edge_gauge', $v));
    probe("histogram(value: $name)", fn () => Folk\Metrics::histogram('edge_seconds', $v));
    probe("labels($name)", fn () => Folk\Metrics::gauge('edge_labels', 1, $v));
    probe("label value $name", fn () => Folk\Metrics::gauge('edge_labels', 1, ['l' => $v]));
    probe("label name $name", fn () => Folk\Metrics::gauge('edge_labels', 1, [is_scalar($v) && !is_float($v) ? (string) $v : 'x' => 1]));
}
echo $tries > 400 ? "over 400 probes\n" : "only $tries probes\n";
echo $violations ? implode("\n", $violations) . "\n" : "no panic, every refusal a FolkException\n";
?>
--EXPECT--
over 400 probes
no panic, every refusal a FolkException
