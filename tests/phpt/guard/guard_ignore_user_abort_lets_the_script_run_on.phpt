--TEST--
Abandoned requests: with ignore_user_abort (the function or the INI setting), a classic script whose client left runs to its end: connection_aborted() is 1 after its next output, which goes nowhere
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$mark = sys_get_temp_dir() . '/folk-ignore-' . getmypid();
$body = ' usleep(300000); echo "late"; flush(); echo "more"; flush();'
    . ' file_put_contents(' . var_export($mark, true) . ', "ran on, aborted=" . connection_aborted() . " status=" . connection_status());';
$srv = folk_classic([
    'function.php' => '<?php ignore_user_abort(true);' . $body,
    'ini.php' => '<?php ini_set("ignore_user_abort", "1");' . $body,
    'ok.php' => '<?php echo "ok";',
]);
foreach (['function.php', 'ini.php'] as $path) {
    @unlink($mark);
    $c = stream_socket_client("tcp://127.0.0.1:{$srv[2]}", $errno, $errstr, 5);
    fwrite($c, "GET /$path HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
    usleep(100000);
    fclose($c);
    for ($i = 0; $i < 150 && !file_exists($mark); $i++) usleep(20000);
    echo "$path: ", @file_get_contents($mark), "\n";
}
[$s, , $b] = folk_http($srv[2], 'GET', '/ok.php');
echo "next request: $s $b\n";
[$code] = folk_stop_server($srv);
echo "exit $code\n";
@unlink($mark);
?>
--EXPECT--
function.php: ran on, aborted=1 status=1
ini.php: ran on, aborted=1 status=1
next request: 200 ok
exit 0
