--TEST--
Classic mode: a fatal error after flush() cannot change the 200 the client has: the body ends without its terminating chunk (truncated), the message goes to the log only, and the next request is clean
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
require __DIR__ . '/../../fixtures/stream_client.php';
$srv = folk_classic([
    'fatal.php' => '<?php while (ob_get_level()) ob_end_flush(); echo "part"; flush(); undefined_function_secret();',
    'ok.php' => '<?php echo "ok";',
]);
[$c, $status, ] = folk_stream_open($srv[2], '/fatal.php');
[$body, $ended] = folk_stream_rest($c);
fclose($c);
echo "$status ", str_contains($body, 'secret') ? 'LEAK' : $body, " ", $ended ? 'ended' : 'truncated', "\n";
[$s, , $b] = folk_http($srv[2], 'GET', '/ok.php');
echo "$s $b\n";
[, $log] = folk_stop_server($srv);
var_dump(str_contains($log, 'after the response was streamed') && str_contains($log, 'undefined_function_secret'));
?>
--EXPECT--
200 part truncated
200 ok
bool(true)
