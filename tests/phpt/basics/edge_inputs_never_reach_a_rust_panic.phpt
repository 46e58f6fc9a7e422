--TEST--
Edge numbers and odd types fed to every option of Folk\Pool and Folk\Server (array, INI, environment) and to every method argument never reach a Rust panic; every refusal is a FolkException
--FILE--
<?php
$w = __DIR__ . '/../../fixtures/worker_echo.php';
$edges = [
    '0' => 0, '-1' => -1, 'PHP_INT_MAX' => PHP_INT_MAX, 'PHP_INT_MIN' => PHP_INT_MIN,
    '1e20' => 1e20, '-1e20' => -1e20, 'NAN' => NAN, 'INF' => INF, '-INF' => -INF,
    '""' => '', '"abc"' => 'abc', '[]' => [], 'null' => null, 'true' => true,
    '"1e20"' => '1e20', '"-1"' => '-1', '"99999999999999999999d"' => '99999999999999999999d',
];
$violations = [];
$tries = 0;
/** Runs $f; a throwable must be a FolkException (or, for a typed method argument, PHP's TypeError) and never a panic. */
function probe(string $what, callable $f, bool $typeErrorOk = false): void {
    global $violations, $tries;
    $tries++;
    try { $f(); }
    catch (Throwable $e) {
        $m = $e->getMessage();
        if (stripos($m, 'panic') !== false) $violations[] = "$what: panic reached PHP: " . get_class($e) . ": $m";
        elseif (!$e instanceof Folk\Exception\FolkException && !($typeErrorOk && $e instanceof TypeError)) {
            $violations[] = "$what: " . get_class($e) . ": $m";
        }
    }
}
/** The keys the schema knows, read from the "unknown option (known: ...)" message. */
function known_keys(callable $construct): array {
    try { $construct(); } catch (Folk\Exception\ConfigException $e) {
        if (preg_match('/\(known: ([^)]*)\)/', $e->getMessage(), $m)) return explode(', ', $m[1]);
    }
    throw new RuntimeException('no key list in the error');
}
$poolKeys = known_keys(fn () => new Folk\Pool($w, ['no_such_key' => 1]));
$serverKeys = known_keys(fn () => new Folk\Server(['worker' => $w, 'no_such_key' => 1]));
echo count($poolKeys), " pool keys, ", count($serverKeys), " server keys\n";

foreach ($poolKeys as $key) {
    foreach ($edges as $name => $v) {
        probe("Pool [$key => $name]", function () use ($w, $key, $v) {
            $pool = new Folk\Pool($w, ['workers.count' => 1, 'workers.boot_timeout' => 5, $key => $v]);
            $pool->close();
        });
    }
}
foreach ($serverKeys as $key) {
    foreach ($edges as $name => $v) {
        probe("Server [$key => $name]", fn () => new Folk\Server(['worker' => $w, $key => $v]));
        if (is_scalar($v) || $v === null) {
            $s = is_float($v) ? var_export($v, true) : (string) $v;
            probe("folk.$key=$name", function () use ($w, $key, $s) {
                ini_set("folk.$key", $s);
                try { new Folk\Server(['worker' => $w]); } finally { ini_set("folk.$key", ''); }
            });
            $env = 'FOLK_' . strtoupper(str_replace('.', '_', $key));
            probe("$env=$name", function () use ($w, $env, $s) {
                putenv("$env=$s");
                try { new Folk\Server(['worker' => $w]); } finally { putenv($env); }
            });
        }
    }
}

$pool = new Folk\Pool($w, ['workers' => ['count' => 1]]);
foreach ($edges as $name => $v) {
    probe("Future::wait($name)", fn () => $pool->submit('echo', 1)->wait($v), true);
    probe("Response(status: $name)", fn () => new Folk\Http\Response('', $v), true);
    probe("Pool::call(payload: $name)", fn () => $pool->call('echo', $v));
    probe("Pool::submit(payload: $name)", fn () => $pool->submit('echo', $v)->wait(5));
    probe("Pool::call(method: $name)", fn () => $pool->call($v, 1), true);
    probe("new Pool(options: $name)", fn () => new Folk\Pool($w, $v), true);
    probe("new Server(options: $name)", fn () => new Folk\Server($v), true);
    probe("Worker::waitRequest(jobs: $name)", fn () => Folk\Worker::waitRequest($v), true);
    probe("Worker::failRequest($name)", fn () => Folk\Worker::failRequest($v), true);
}
$pool->close();
echo $tries > 500 ? "over 500 probes\n" : "only $tries probes\n";
echo $violations ? implode("\n", $violations) . "\n" : "no panic, every refusal a FolkException\n";
?>
--EXPECT--
11 pool keys, 76 server keys
over 500 probes
no panic, every refusal a FolkException
