--TEST--
Output handlers follow each request, in worker mode as in classic mode: zlib.output_compression compresses for a client that accepts gzip, and after a request whose ob_gzhandler gzipped for its client, requests without Accept-Encoding get plain bodies (the encoding ob_gzhandler chose stuck to the worker thread)
--SKIPIF--
<?php if (!function_exists('gzdecode')) echo 'skip needs zlib'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$page = str_repeat('folk output handlers ', 20);
$files = [
    'gz.php' => '<?php ob_start("ob_gzhandler"); echo ' . var_export($page, true) . ';',
    'plain.php' => '<?php echo ' . var_export($page, true) . ';',
    'folk-worker.php' => '<?php while (Folk\Worker::handleRequest(function () { require __DIR__ . parse_url($_SERVER["REQUEST_URI"], PHP_URL_PATH); })) {}',
];
$root = folk_docroot($files);
// folk's own compression off, so that any encoding comes from PHP.
$http = ['root' => $root, 'compression' => ['enabled' => false]];
foreach (['classic' => ['worker' => null], 'worker' => ['worker' => "$root/folk-worker.php"]] as $mode => $worker) {
    $srv = folk_start_server($worker + ['workers' => ['count' => 1], 'server' => ['main_worker' => false], 'http' => $http], [], ['zlib.output_compression' => '1']);
    [$s, $h, $b] = folk_http($srv[2], 'GET', '/plain.php', ['accept-encoding' => 'gzip']);
    echo "$mode: zlib.output_compression for gzip: ", $h['content-encoding'][0] ?? 'none', ', ', @gzdecode($b) === $page ? 'decodes to the page' : 'wrong body', "\n";
    [$s, $h, $b] = folk_http($srv[2], 'GET', '/plain.php');
    echo "$mode: zlib.output_compression without Accept-Encoding: ", $h['content-encoding'][0] ?? 'none', ', ', $b === $page ? 'the page' : 'wrong body', "\n";
    folk_stop_server($srv);

    $srv = folk_start_server($worker + ['workers' => ['count' => 1], 'server' => ['main_worker' => false], 'http' => $http]);
    [$s, $h, $b] = folk_http($srv[2], 'GET', '/gz.php', ['accept-encoding' => 'gzip']);
    echo "$mode: ob_gzhandler for gzip: ", $h['content-encoding'][0] ?? 'none', "\n";
    $gzipped = 0;
    for ($i = 0; $i < 30; $i++) {
        [$s, $h, $b] = folk_http($srv[2], 'GET', '/gz.php');
        if (isset($h['content-encoding']) || $b !== $page) $gzipped++;
    }
    echo "$mode: later requests without Accept-Encoding that were encoded: $gzipped of 30\n";
    folk_stop_server($srv);
}
folk_rmdir($root);
?>
--EXPECT--
classic: zlib.output_compression for gzip: gzip, decodes to the page
classic: zlib.output_compression without Accept-Encoding: none, the page
classic: ob_gzhandler for gzip: gzip
classic: later requests without Accept-Encoding that were encoded: 0 of 30
worker: zlib.output_compression for gzip: gzip, decodes to the page
worker: zlib.output_compression without Accept-Encoding: none, the page
worker: ob_gzhandler for gzip: gzip
worker: later requests without Accept-Encoding that were encoded: 0 of 30
