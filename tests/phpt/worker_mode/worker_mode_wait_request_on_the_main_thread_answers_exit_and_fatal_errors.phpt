--TEST--
Folk\Worker::waitRequest() on the main-thread worker: it serves next to the thread workers; exit() there answers the open request with its output, and a fatal error with a bare 500, then the main-thread worker stops and the thread workers serve on; a clean stop still exits 0
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$worker = <<<'PHP'
<?php
while (Folk\Worker::waitRequest()) {
    usleep(50000);
    if ($_SERVER['REQUEST_URI'] === '/exit') { echo 'exit from ', PHP_SAPI; exit(); }
    if ($_SERVER['REQUEST_URI'] === '/fatal') { echo 'secret partial output'; trigger_error('main fatal', E_USER_ERROR); }
    echo PHP_SAPI;
}
PHP;
/** Three requests at once; the answers. */
function burst(int $port, string $path): array
{
    $conns = [];
    for ($i = 0; $i < 3; $i++) { $c = stream_socket_client("tcp://127.0.0.1:$port"); fwrite($c, "GET $path HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); $conns[] = $c; }
    $out = [];
    foreach ($conns as $c) { [$s, , $b] = folk_read_response($c); $out[] = "$s " . trim($b); fclose($c); }
    return $out;
}
foreach (['/exit', '/fatal'] as $fault) {
    $root = folk_docroot(['worker.php' => $worker]);
    $srv = folk_start_server(['worker' => "$root/worker.php", 'workers' => ['count' => 1]]);
    $sapis = [];
    for ($i = 0; $i < 4; $i++) foreach (burst($srv[2], '/') as $a) $sapis[$a] = true;
    ksort($sapis);
    echo "$fault: before, answers ", implode(', ', array_keys($sapis)), "\n";
    // Until the main thread took one (each one a thread worker takes replaces that thread worker).
    $answers = [];
    for ($i = 0; $i < 10 && !str_contains(file_get_contents($srv[3]), 'the main-thread worker stopped'); $i++) {
        foreach (burst($srv[2], $fault) as $a) $answers[$a] = true;
        usleep(100000);
    }
    $answers = array_keys($answers);
    $main = $fault === '/exit' ? in_array('200 exit from cli', $answers, true) : str_contains(file_get_contents($srv[3]), 'the main-thread worker stopped');
    echo "$fault: the main thread took one: ", $main ? 'yes' : 'no', ', answers ',
        implode(', ', array_unique(array_map(fn($a) => preg_replace('/ from \S+$/', ' from <worker>', $a), $answers))), "\n";
    $after = [];
    for ($i = 0; $i < 3; $i++) foreach (burst($srv[2], '/') as $a) $after[$a] = true;
    echo "$fault: after, answers ", implode(', ', array_keys($after)), "\n";
    [$code, $log] = folk_stop_server($srv);
    echo "$fault: exit $code, run() ", str_contains($log, 'run returned') ? 'returned' : 'did not return', "\n";
}
?>
--EXPECT--
/exit: before, answers 200 cli, 200 fpm-fcgi
/exit: the main thread took one: yes, answers 200 exit from <worker>
/exit: after, answers 200 fpm-fcgi
/exit: exit 0, run() returned
/fatal: before, answers 200 cli, 200 fpm-fcgi
/fatal: the main thread took one: yes, answers 500 500 Internal Server Error
/fatal: after, answers 200 fpm-fcgi
/fatal: exit 0, run() did not return
