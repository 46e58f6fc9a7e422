--TEST--
Request bodies over http.body_buffer go to files in PHP's upload_tmp_dir named folk-body-<pid>-<n> that are unlinked as soon as they are made, so a server killed with SIGKILL while it holds one leaves nothing behind; a stale file of a process no longer alive (a crash between making and unlinking one) is removed when the next server starts, while a live process's file is kept
--SKIPIF--
<?php
if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
elseif (!is_dir('/proc/self/fd')) echo 'skip needs /proc';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/body_spool.php';
$dir = sys_get_temp_dir() . '/folk-spool-dir-' . getmypid();
@mkdir($dir);
$names = fn() => array_map('basename', glob("$dir/*"));
$srv = folk_start_server(['workers' => ['count' => 1], 'server' => ['main_worker' => false]], [], ['upload_tmp_dir' => $dir]);
[$port, $pid] = [$srv[2], proc_get_status($srv[0])['pid']];

// The one worker sleeps; the upload waits in the queue with its file open.
$busy = stream_socket_client("tcp://127.0.0.1:$port");
fwrite($busy, folk_http_request('GET', '/sleep', [], ''));
usleep(100000);
$queued = stream_socket_client("tcp://127.0.0.1:$port");
fwrite($queued, folk_http_request('POST', '/echo', ['content-type' => 'application/octet-stream'], str_repeat('q', 300 << 10)));
$deadline = microtime(true) + 3;
while (!folk_spool_fds($pid) && microtime(true) < $deadline) usleep(10000);
$open = folk_spool_fds($pid);
echo 'held: ', count($open), ' file, ', preg_match('#^' . preg_quote($dir, '#') . "/folk-body-$pid-\\d+ \\(deleted\\)$#", $open[0] ?? '') ? "in upload_tmp_dir, named folk-body-<pid>-<n>, unlinked" : json_encode($open), "\n";
echo 'in the directory: ', json_encode($names()), "\n";

folk_stop_server($srv, 9);
fclose($busy);
fclose($queued);
echo 'after kill -9: ', json_encode($names()), "\n";

// As if a crash had come between making a file and unlinking it: one of the dead server, one of a live process.
$me = getmypid();
foreach (["folk-body-$pid-1", "folk-body-$me-1", 'php123456'] as $f) file_put_contents("$dir/$f", 'x');
$srv = folk_start_server(['workers' => ['count' => 1], 'server' => ['main_worker' => false]], [], ['upload_tmp_dir' => $dir]);
$left = $names();
echo 'after the next start: ', in_array("folk-body-$pid-1", $left, true) ? "the dead server's file is still there" : "the dead server's file is gone",
    ', ', in_array("folk-body-$me-1", $left, true) ? "the live process's is kept" : "the live process's is GONE",
    ', ', in_array('php123456', $left, true) ? 'other files are kept' : 'another file is GONE', "\n";
[$s, , $b] = folk_http($srv[2], 'POST', '/echo', ['content-type' => 'application/octet-stream'], str_repeat('e', 100 << 10));
echo "upload: $s ", strlen($b), "\n";
[$code, $log] = folk_stop_server($srv);
echo preg_match('/removed request body files a crashed server left behind.*files=1/', preg_replace('/\e\[[0-9;]*m/', '', $log)) ? "logged: 1 file removed\n" : "not logged\n";
array_map('unlink', glob("$dir/*"));
rmdir($dir);
var_dump($code);
?>
--EXPECT--
held: 1 file, in upload_tmp_dir, named folk-body-<pid>-<n>, unlinked
in the directory: []
after kill -9: []
after the next start: the dead server's file is gone, the live process's is kept, other files are kept
upload: 200 102400
logged: 1 file removed
int(0)
