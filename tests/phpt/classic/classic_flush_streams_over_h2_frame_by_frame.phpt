--TEST--
Classic mode over HTTP/2 (h2c, curl --http2-prior-knowledge): flush() sends the head and the output so far as DATA frames before the script ends, and the rest follows
--SKIPIF--
<?php
if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
elseif (!str_contains((string) shell_exec('curl --version 2>/dev/null'), 'nghttp2')) echo 'skip needs curl with HTTP/2';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic(['s.php' => '<?php while (ob_get_level()) ob_end_flush(); header("X-Mine: 1"); echo "first "; flush(); usleep(400000); echo "second";']);
// curl prints each byte as it arrives (-N), with timestamps taken by this reader.
$p = proc_open(['curl', '-sS', '-N', '-i', '--http2-prior-knowledge', "http://127.0.0.1:{$srv[2]}/s.php"], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
$t0 = microtime(true);
$got = ''; $firstAt = null;
while (!feof($pipes[1])) {
    $part = fread($pipes[1], 8192);
    if ($part === '' || $part === false) { usleep(5000); continue; }
    $got .= $part;
    if ($firstAt === null && str_contains($got, 'first ')) $firstAt = microtime(true) - $t0;
}
$end = microtime(true) - $t0;
proc_close($p);
[$head, $body] = explode("\r\n\r\n", $got, 2);
echo trim(strtok($head, "\r\n")), "\n";
echo preg_match('/^x-mine: 1\r?$/mi', $head) ? "header sent\n" : "no header\n";
echo $body, "\n";
echo $firstAt !== null && $firstAt < 0.3 ? 'first early' : sprintf('first late (%s)', var_export($firstAt, true)), ', ', $end - $firstAt > 0.3 ? 'second later' : 'second too soon', "\n";
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
HTTP/2 200
header sent
first second
first early, second later
int(0)
