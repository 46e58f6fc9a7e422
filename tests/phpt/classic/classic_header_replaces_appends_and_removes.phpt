--TEST--
Classic mode: header() replaces or appends, header_remove() removes one or all, headers_list() shows what will be sent
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic(['h.php' => '<?php header("X-One: a"); header("X-One: b"); header("X-Two: 1", false); header("X-Two: 2", false);'
    . ' header("X-Gone: 1"); header_remove("X-Gone"); echo json_encode(array_values(array_filter(headers_list(), fn($h) => !str_starts_with($h, "X-Powered-By"))));',
    'all.php' => '<?php header("X-A: 1"); header_remove(); header("X-B: 2"); echo json_encode(headers_list());']);
[$s, $h, $b] = folk_http($srv[2], 'GET', '/h.php');
echo $b, "\n", json_encode([$h['x-one'], $h['x-two'], isset($h['x-gone'])]), "\n";
[$s, $h, $b] = folk_http($srv[2], 'GET', '/all.php');
echo $b, "\n", json_encode([isset($h['x-a']), $h['x-b'], isset($h['x-powered-by'])]), "\n";
folk_stop_server($srv);
?>
--EXPECT--
["X-One: b","X-Two: 1","X-Two: 2"]
[["b"],["1","2"],false]
["X-B: 2"]
[false,["2"],false]
