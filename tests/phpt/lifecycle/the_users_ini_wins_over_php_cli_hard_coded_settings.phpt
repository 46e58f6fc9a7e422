--TEST--
Web requests (classic and worker mode) take the user's own values of the settings php-cli hard-codes, from -d and from php.ini (which php-cli itself ignores for them): html_errors, register_argc_argv, output_buffering, implicit_flush, max_execution_time; where the user set nothing, php-fpm's defaults with php.ini-production (html_errors on, no argv, 4096 bytes of buffer, 30 s)
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$report = '<?php echo json_encode(["html_errors" => ini_get("html_errors"), "argv" => isset($_SERVER["argv"]), "output_buffering" => ini_get("output_buffering"),'
    . ' "implicit_flush" => ini_get("implicit_flush"), "max_execution_time" => ini_get("max_execution_time"), "ob_level" => ob_get_level()]), "\n"; echo $undefined;';
$files = [
    'r.php' => $report,
    'folk-worker.php' => '<?php while (Folk\Worker::handleRequest(function () { require __DIR__ . "/r.php"; })) {}',
];
$root = folk_docroot($files);
file_put_contents("$root/user.ini", "[PHP]\nhtml_errors = Off\nregister_argc_argv = On\noutput_buffering = Off\nimplicit_flush = Off\nmax_execution_time = 7\ndisplay_errors = On\nerror_reporting = E_ALL\n");

/** Starts a server with these PHP options before the script; the answer of one request. */
function ask(string $root, ?string $worker, array $php): string
{
    $port = folk_free_port();
    $options = ['workers' => ['count' => 1], 'server' => ['main_worker' => false], 'http' => ['root' => $root, 'listen' => "127.0.0.1:$port"]];
    if ($worker) $options['worker'] = "$root/$worker";
    $script = "$root/server-" . bin2hex(random_bytes(3)) . '.php';
    file_put_contents($script, '<?php (new Folk\Server(' . var_export($options, true) . '))->run();');
    $log = tempnam(sys_get_temp_dir(), 'folk-log-');
    $env = array_filter(getenv(), fn ($k) => !str_starts_with($k, 'FOLK_'), ARRAY_FILTER_USE_KEY);
    $proc = proc_open(array_merge([PHP_BINARY], $php, ['-d', 'extension=' . folk_extension_path(), $script]), [1 => ['file', $log, 'w'], 2 => ['file', $log, 'a']], $pipes, null, $env);
    folk_wait_port($port, $proc, $log);
    [, , $body] = folk_http($port, 'GET', '/r.php?x+y');
    posix_kill(proc_get_status($proc)['pid'], SIGTERM);
    while (proc_get_status($proc)['running']) usleep(20000);
    proc_close($proc);
    @unlink($log);
    $lines = explode("\n", $body, 2);
    $warning = trim($lines[1] ?? '');
    return $lines[0] . ' warning: ' . (str_contains($warning, '<b>Warning</b>') ? 'html' : (str_starts_with($warning, 'Warning') ? 'text' : "none ($warning)"));
}

$sources = [
    'nothing set' => ['-d', 'display_errors=1'],
    '-d' => ['-d', 'display_errors=1', '-d', 'html_errors=0', '-d', 'register_argc_argv=1', '-d', 'output_buffering=Off', '-d', 'max_execution_time=7'],
    'php.ini' => ['-c', "$root/user.ini"],
];
foreach ($sources as $source => $php) {
    foreach (['classic' => null, 'worker' => 'folk-worker.php'] as $mode => $worker) {
        echo "$source, $mode: ", ask($root, $worker, $php), "\n";
    }
}
folk_rmdir($root);
?>
--EXPECT--
nothing set, classic: {"html_errors":"1","argv":false,"output_buffering":"4096","implicit_flush":"0","max_execution_time":"30","ob_level":1} warning: html
nothing set, worker: {"html_errors":"1","argv":false,"output_buffering":"4096","implicit_flush":"0","max_execution_time":"30","ob_level":1} warning: html
-d, classic: {"html_errors":"0","argv":true,"output_buffering":"","implicit_flush":"0","max_execution_time":"7","ob_level":0} warning: text
-d, worker: {"html_errors":"0","argv":true,"output_buffering":"","implicit_flush":"0","max_execution_time":"7","ob_level":0} warning: text
php.ini, classic: {"html_errors":"","argv":true,"output_buffering":"","implicit_flush":"","max_execution_time":"7","ob_level":0} warning: text
php.ini, worker: {"html_errors":"","argv":true,"output_buffering":"","implicit_flush":"","max_execution_time":"7","ob_level":0} warning: text
