<?php
// What the two endpoints cost in PHP alone, on one thread, with no server and
// no I/O: the same scripts php-fpm runs, included back to back (opcache on).
// It is the floor under every server's per-request time for that endpoint.
//   .php/bin/php bench/http/app/cost.php
$n = (int) (getenv('BENCH_APP_RUNS') ?: 100000);
// Its own scope, as in php-fpm: the scripts' variables ($i) must not touch our loops.
function run_endpoint(string $file): void { ob_start(); include $file; ob_end_clean(); }
$out = [];
foreach (['hello', 'json'] as $name) {
    $file = __DIR__ . "/$name.php";
    for ($k = 0; $k < 1000; $k++) run_endpoint($file);
    $t = hrtime(true);
    for ($k = 0; $k < $n; $k++) run_endpoint($file);
    $out[] = sprintf('%s_us=%.2f', $name, (hrtime(true) - $t) / 1000 / $n);
}
printf("app php_only %s runs=%d opcache=%s\n", implode(' ', $out), $n,
    function_exists('opcache_get_status') && (opcache_get_status(false)['opcache_enabled'] ?? false) ? 'on' : 'off');
