--TEST--
Classic mode: flush() sends the headers: headers_sent() turns true and a later header() warns, as under php-fpm
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic(['f.php' => '<?php header("X-Before: 1"); echo "a"; $before = headers_sent(); flush(); echo json_encode([$before, headers_sent()]); @header("X-After: 1");']);
[$s, $h, $b] = folk_http($srv[2], 'GET', '/f.php');
echo "$s $b ", $h['x-before'][0], " ", isset($h['x-after']) ? 'after' : 'no after', "\n";
folk_stop_server($srv);
?>
--EXPECT--
200 a[false,true] 1 no after
