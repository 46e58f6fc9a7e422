--TEST--
http.compression: a response PHP streams with flush() is compressed as it flows: with gzip, br and zstd the first chunk reaches curl (decoded) while the script still sleeps, and the whole body decodes to what was sent
--SKIPIF--
<?php
if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
elseif (!preg_match('/Features:.*\bbrotli\b.*\bzstd\b/s', (string) shell_exec('curl --version 2>/dev/null'))) echo 'skip needs a curl with brotli and zstd';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic(['s.php' => '<?php while (ob_get_level()) ob_end_flush(); header("Content-Type: text/plain"); echo str_repeat("first ", 100), "\n"; flush(); usleep(800000); echo "second\n";']);
foreach (['gzip', 'br', 'zstd'] as $c) {
    $h = tempnam(sys_get_temp_dir(), 'folk-h-');
    $cmd = ['curl', '-sN', '--compressed', '-H', "accept-encoding: $c", '-D', $h, "http://127.0.0.1:{$srv[2]}/s.php"];
    $t0 = microtime(true);
    $p = proc_open($cmd, [1 => ['pipe', 'w']], $pipes);
    $first = fgets($pipes[1]);
    $tFirst = microtime(true) - $t0;
    $rest = stream_get_contents($pipes[1]);
    $tAll = microtime(true) - $t0;
    proc_close($p);
    $enc = preg_match('/^content-encoding: *(\S+)/mi', file_get_contents($h), $m) ? $m[1] : 'identity';
    unlink($h);
    printf("%s: encoding=%s first-early=%s whole-late=%s body=%s\n", $c, $enc,
        var_export($tFirst < 0.6, true), var_export($tAll >= 0.75, true),
        var_export($first . $rest === str_repeat('first ', 100) . "\nsecond\n", true));
    if ($tFirst >= 0.6) echo "  first chunk after ", round($tFirst, 3), "s\n";
}
folk_stop_server($srv);
?>
--EXPECT--
gzip: encoding=gzip first-early=true whole-late=true body=true
br: encoding=br first-early=true whole-late=true body=true
zstd: encoding=zstd first-early=true whole-late=true body=true
