<?php
// The example server `make run` starts:
//   .php/bin/php -d extension=target/release/libfolk.so php/examples/server.php
// Then: curl http://127.0.0.1:8080/  (and /json, /info). Ctrl-C stops it gracefully.
$server = new Folk\Server([
    'worker'  => __DIR__ . '/worker.php',
    'workers' => ['count' => 4, 'max_jobs' => 10000, 'exec_timeout' => '30s'],
    'http'    => ['listen' => '127.0.0.1:8080'],
    'metrics' => ['listen' => '127.0.0.1:9090'],
]);
$server->run();
