--TEST--
Abandoned requests: a classic script whose client closed the connection sees connection_aborted() and is stopped at its next output (flush() or unbuffered echo), as under php-fpm; its shutdown functions still run and the worker serves on without being replaced
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$mark = sys_get_temp_dir() . '/folk-abort-' . getmypid();
$metrics = folk_free_port();
$script = fn (string $output) => '<?php register_shutdown_function(function () {'
    . ' file_put_contents(' . var_export($mark, true) . ', " shutdown:" . connection_aborted(), FILE_APPEND); });'
    . ' file_put_contents(' . var_export($mark, true) . ', "before:" . connection_aborted(), FILE_APPEND);'
    . ' usleep(300000); ' . $output
    . ' file_put_contents(' . var_export($mark, true) . ', " ran on", FILE_APPEND);';
$srv = folk_classic([
    'flush.php' => $script('echo "late"; flush();'),
    'echo.php' => $script('while (ob_get_level()) ob_end_clean(); echo "late";'),
    'ok.php' => '<?php echo "ok";',
], ['metrics' => ['listen' => "127.0.0.1:$metrics"]]);
foreach (['flush.php', 'echo.php'] as $path) {
    @unlink($mark);
    $c = stream_socket_client("tcp://127.0.0.1:{$srv[2]}", $errno, $errstr, 5);
    fwrite($c, "GET /$path HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
    usleep(100000);
    fclose($c);
    for ($i = 0; $i < 150 && !str_contains((string) @file_get_contents($mark), 'shutdown'); $i++) usleep(20000);
    echo "$path: ", @file_get_contents($mark), "\n";
    [$s, , $b] = folk_http($srv[2], 'GET', '/ok.php');
    echo "next request: $s $b\n";
}
[, , $page] = folk_http($metrics, 'GET', '/metrics');
preg_match_all('/^folk_recycles_total\{reason="(\w+)"\} (\d+)$/m', $page, $m);
echo "fatal_error among the reasons: ", in_array('fatal_error', $m[1], true) ? 'yes' : 'no', ", workers replaced: ", array_sum($m[2]), "\n";
[$code] = folk_stop_server($srv);
echo "exit $code\n";
@unlink($mark);
?>
--EXPECT--
flush.php: before:0 shutdown:1
next request: 200 ok
echo.php: before:0 shutdown:1
next request: 200 ok
fatal_error among the reasons: yes, workers replaced: 0
exit 0
