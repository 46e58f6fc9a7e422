--TEST--
Classic mode: a body over http.body_buffer reaches the script through a temporary file, which the server no longer holds open once the request ends, however it ends: success, fatal error mid-read, exec_timeout, client gone while it runs; a request still queued holds only its file, which is closed as soon as its client leaves, and never runs
--SKIPIF--
<?php
if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
elseif (!is_dir('/proc/self/fd')) echo 'skip needs /proc';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
require __DIR__ . '/../../fixtures/body_spool.php';
$seen = fn(string $name) => '<?php ' . folk_spooled_php() . ' file_put_contents(__DIR__ . "/seen-' . $name . '", spooled());';
$srv = folk_classic([
    'ok.php' => $seen('ok') . ' echo strlen(file_get_contents("php://input"));',
    'fatal.php' => $seen('fatal') . ' fread(fopen("php://input", "r"), 1000); no_such_function();',
    'slow.php' => $seen('slow') . ' sleep(10);',
    'nap.php' => $seen('nap') . ' usleep(500000); echo "done";',
    'busy.php' => '<?php usleep(1200000); echo "busy";',
], ['workers' => ['count' => 1, 'exec_timeout' => '2s']]);
[$port, $root, $pid] = [$srv[2], $srv['root'], proc_get_status($srv[0])['pid']];
$body = str_repeat('b', 200 << 10);

$report = function (string $name, string $outcome) use ($root, $pid) {
    $ran = is_file("$root/seen-$name") && (int) file_get_contents("$root/seen-$name") >= 1;
    echo "$name: $outcome, ", $ran ? 'spooled while it ran' : 'NOT seen spooled', ', ', folk_wait_no_spool_fds($pid) ? 'STILL OPEN' : 'closed after', "\n";
};

[$s, , $b] = folk_http($port, 'POST', '/ok.php', ['content-type' => 'application/octet-stream'], $body);
$report('ok', "$s $b");
[$s] = folk_http($port, 'POST', '/fatal.php', ['content-type' => 'application/octet-stream'], $body);
$report('fatal', (string) $s);
[$s] = folk_http($port, 'POST', '/slow.php', ['content-type' => 'application/octet-stream'], $body);
$report('slow', (string) $s);

// The client sends its upload and leaves while the script runs.
$c = stream_socket_client("tcp://127.0.0.1:$port");
fwrite($c, folk_http_request('POST', '/nap.php', ['content-type' => 'application/octet-stream'], $body));
$deadline = microtime(true) + 3;
while (!is_file("$root/seen-nap") && microtime(true) < $deadline) usleep(10000);
fclose($c);
$report('nap', 'client gone');

// The one worker is busy: the upload waits in the queue, holding its file, until its client leaves.
@unlink("$root/seen-ok");
$busy = stream_socket_client("tcp://127.0.0.1:$port");
fwrite($busy, folk_http_request('GET', '/busy.php', ['connection' => 'close'], ''));
usleep(100000);
$queued = stream_socket_client("tcp://127.0.0.1:$port");
fwrite($queued, folk_http_request('POST', '/ok.php', ['content-type' => 'application/octet-stream'], $body));
$deadline = microtime(true) + 2;
while (count(folk_spool_fds($pid)) !== 1 && microtime(true) < $deadline) usleep(10000);
$held = count(folk_spool_fds($pid));
fclose($queued);
$closed = folk_wait_no_spool_fds($pid, 0.5) === [];
stream_set_timeout($busy, 5);
[$s, , $b] = folk_read_response($busy);
usleep(200000);
echo "queued: holds $held file, ", $closed ? 'closed when its client left' : 'STILL OPEN', ' (before the busy request ended with ', "$s $b), ", is_file("$root/seen-ok") ? 'RAN' : 'never ran', "\n";

[$s, , $b] = folk_http($port, 'POST', '/ok.php', ['content-type' => 'application/octet-stream'], $body);
echo "after: $s $b\n";
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
ok: 200 204800, spooled while it ran, closed after
fatal: 500, spooled while it ran, closed after
slow: 504, spooled while it ran, closed after
nap: client gone, spooled while it ran, closed after
queued: holds 1 file, closed when its client left (before the busy request ended with 200 busy), never ran
after: 200 204800
int(0)
