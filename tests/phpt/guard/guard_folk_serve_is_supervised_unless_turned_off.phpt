--TEST--
Crash supervision: `folk serve` runs the server under a supervisor by default (the answering process is the command's child, and a crash is survived), and FOLK_SERVER_SUPERVISE=false runs it in the command's own process
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/docroot.php';
$root = folk_docroot([
    'index.php' => '<?php echo getmypid(), " ", posix_getppid();',
    // It never answers: the process is gone before the sleep ends (the signal is asynchronous).
    'crash.php' => '<?php posix_kill(getmypid(), SIGSEGV); sleep(5); echo "not crashed";',
]);
$folk = dirname(__DIR__, 3) . '/bin/folk';
foreach (['default' => [], 'FOLK_SERVER_SUPERVISE=false' => ['FOLK_SERVER_SUPERVISE' => 'false']] as $how => $extra) {
    $port = folk_free_port();
    $log = tempnam(sys_get_temp_dir(), 'folk-cli-');
    $env = ['FOLK_PHP' => PHP_BINARY, 'FOLK_EXTENSION' => folk_extension_path(), 'PATH' => getenv('PATH')] + $extra;
    $proc = proc_open([$folk, 'serve', $root, "--listen=127.0.0.1:$port", '--workers', '1'], [1 => ['file', $log, 'w'], 2 => ['file', $log, 'a']], $pipes, null, $env);
    folk_wait_port($port, $proc, $log);
    $command = proc_get_status($proc)['pid'];
    [, , $b] = folk_http($port, 'GET', '/');
    [$pid, $ppid] = explode(' ', $b);
    echo "$how: ", match (true) {
        $ppid == $command => 'served by a child of the command',
        $pid == $command => 'served by the command itself',
        default => "served by $b (command $command)",
    }, "\n";
    if (!$extra) {
        folk_http($port, 'GET', '/crash.php', [], '', 5);
        $t = microtime(true);
        do { [$s] = folk_http($port, 'GET', '/', [], '', 2); } while ($s !== 200 && microtime(true) - $t < 5 && usleep(10000) === null);
        echo "  after a crash: $s\n";
    }
    [$code] = folk_stop_server([$proc, $pipes, $port, $log, $log]);
    echo "  exit $code\n";
}
?>
--EXPECT--
default: served by a child of the command
  after a crash: 200
  exit 0
FOLK_SERVER_SUPERVISE=false: served by the command itself
  exit 0
