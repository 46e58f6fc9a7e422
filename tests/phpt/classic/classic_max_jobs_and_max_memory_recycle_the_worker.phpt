--TEST--
Classic mode: workers.max_jobs and workers.max_memory (the PHP heap at the end of a request) replace the thread between requests; no request fails
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; if (getenv('USE_ZEND_ALLOC') === '0') echo 'skip memory figures are not the Zend allocator\'s with USE_ZEND_ALLOC=0 (make test-asan)'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$mport = folk_free_port();
$srv = folk_classic([
    'ok.php' => '<?php echo "ok";',
    'big.php' => '<?php $keep = str_repeat("x", 24 << 20); echo "big";',
], ['workers' => ['max_jobs' => 3, 'max_memory' => '16M'], 'metrics' => ['listen' => "127.0.0.1:$mport"]]);
folk_wait_port($mport, $srv[0], $srv[3]);
$answers = [];
for ($i = 0; $i < 7; $i++) $answers[] = folk_http($srv[2], 'GET', '/ok.php')[2];
$answers[] = folk_http($srv[2], 'GET', '/big.php')[2];
$answers[] = folk_http($srv[2], 'GET', '/ok.php')[2];
echo implode(' ', $answers), "\n";
$body = folk_http($mport, 'GET', '/metrics')[2];
preg_match('/^folk_recycles_total\{reason="max_jobs"\} (\d+)/m', $body, $jobs);
preg_match('/^folk_recycles_total\{reason="max_memory"\} (\d+)/m', $body, $mem);
var_dump((int) $jobs[1] >= 2, (int) $mem[1]);
folk_stop_server($srv);
?>
--EXPECT--
ok ok ok ok ok ok ok big ok
bool(true)
int(1)
