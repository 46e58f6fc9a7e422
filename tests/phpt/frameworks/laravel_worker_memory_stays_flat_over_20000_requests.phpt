--TEST--
Laravel (php/frameworks/laravel.php) in worker mode: 20,000 requests (hello, Twig/Blade page, JSON list, JSON echo) on one worker that never recycles; the process's RSS after 2,000 warm-up requests grows less than 10% by the end
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('laravel')) echo "skip $why"; if (getenv('USE_ZEND_ALLOC') === '0') echo 'skip memory figures are not the Zend allocator\'s with USE_ZEND_ALLOC=0 (make test-asan)'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
fw_memory('laravel');
?>
--EXPECTF--
%s: 20000 requests in %f s (%d req/s), 0 not answered 200/201
RSS after 2000 warm-up requests %f MiB, after 20000 %f MiB: %s%
RSS samples (KiB by requests): %s
all 20000 requests served
every answer as expected
RSS growth after warm-up under 10%
boots: 1
