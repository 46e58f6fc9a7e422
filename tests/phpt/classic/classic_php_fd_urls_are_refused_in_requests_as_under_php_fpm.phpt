--TEST--
A request cannot open the server process's descriptors through php://fd/N (nor php://FD/N): it gets php-fpm's "Failed to open stream: operation failed" and false, in classic mode and in worker mode's handleRequest(), while the other php:// streams work; a Folk\Pool worker, which is php-cli code, keeps php://fd as php-cli has it
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$probe = 'function probe() {
    $out = []; $seen = [];
    set_error_handler(function ($n, $m) use (&$seen) { $seen[$m] = true; return true; });
    foreach (["php://fd/1", "php://FD/2", "PHP://fd/0"] as $url) {
        $f = fopen($url, "w");
        $out[] = $f === false ? "refused" : "opened";
        if ($f) fclose($f);
    }
    $m = fopen("php://memory", "w+"); fwrite($m, "ok"); rewind($m);
    $out[] = stream_get_contents($m);
    $out[] = strlen(file_get_contents("php://input"));
    restore_error_handler();
    $out[] = array_keys($seen);
    return json_encode($out);
}';
$srv = folk_classic(['p.php' => "<?php ini_set('display_errors', '0'); $probe echo probe();"]);
echo "classic: ", folk_http($srv[2], 'POST', '/p.php', [], 'abc')[2], "\n";
folk_stop_server($srv);

$root = folk_docroot(['worker.php' => "<?php ini_set('display_errors', '0'); $probe while (Folk\\Worker::handleRequest(function () { echo probe(); })) {}"]);
$srv = folk_start_server(['worker' => "$root/worker.php", 'workers' => ['count' => 1], 'server' => ['main_worker' => false]]);
echo "handleRequest: ", folk_http($srv[2], 'POST', '/', [], 'abc')[2], "\n";
folk_stop_server($srv);

$w = tempnam(sys_get_temp_dir(), 'folk-w') . '.php';
file_put_contents($w, '<?php Folk\Worker::serve(function () { $f = fopen("php://fd/2", "w"); return $f === false ? "refused" : "opened"; });');
$pool = new Folk\Pool($w, ['workers' => ['count' => 1]]);
echo "pool: ", $pool->call('x'), "\n";
$pool->close();
unlink($w);
?>
--EXPECT--
classic: ["refused","refused","refused","ok",3,["fopen(php:\/\/fd\/1): Failed to open stream: operation failed","fopen(php:\/\/FD\/2): Failed to open stream: operation failed","fopen(PHP:\/\/fd\/0): Failed to open stream: operation failed"]]
handleRequest: ["refused","refused","refused","ok",3,["fopen(php:\/\/fd\/1): Failed to open stream: operation failed","fopen(php:\/\/FD\/2): Failed to open stream: operation failed","fopen(PHP:\/\/fd\/0): Failed to open stream: operation failed"]]
pool: opened
