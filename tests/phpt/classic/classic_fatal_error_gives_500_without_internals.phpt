--TEST--
Classic mode: a fatal error, an uncaught exception or memory_limit gives a bare 500 (no PHP message in the body, the details in the log) and the next request is clean
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; if (getenv('USE_ZEND_ALLOC') === '0') echo 'skip memory_limit is not enforced with USE_ZEND_ALLOC=0 (make test-asan)'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic([
    'fatal.php' => '<?php header("X-Set: 1"); echo "half"; undefined_function_secret();',
    'throw.php' => '<?php throw new RuntimeException("secret password");',
    'mem.php' => '<?php ini_set("memory_limit", "8M"); $a = str_repeat("x", 32 << 20);',
    'ok.php' => '<?php echo http_response_code(), " ", json_encode(headers_list());',
]);
foreach (['/fatal.php', '/ok.php', '/throw.php', '/ok.php', '/mem.php', '/ok.php'] as $p) {
    [$s, $h, $b] = folk_http($srv[2], 'GET', $p);
    echo "$p $s ", str_contains($b, 'secret') || str_contains($b, 'half') || isset($h['x-set']) ? 'LEAK' : trim($b), "\n";
}
[, $log] = folk_stop_server($srv);
var_dump(str_contains($log, 'undefined_function_secret'), str_contains($log, 'secret password'), str_contains($log, 'Allowed memory size'));
?>
--EXPECT--
/fatal.php 500 500 Internal Server Error
/ok.php 200 200 ["X-Powered-By: PHP\/8.2.32"]
/throw.php 500 500 Internal Server Error
/ok.php 200 200 ["X-Powered-By: PHP\/8.2.32"]
/mem.php 500 500 Internal Server Error
/ok.php 200 200 ["X-Powered-By: PHP\/8.2.32"]
bool(true)
bool(true)
bool(true)
