--TEST--
Worker mode: every request starts from the worker's baseline (what its script set while booting), whatever the request before it left behind: INI changes, set_time_limit(), ignore_user_abort(), error and exception handlers, setlocale(), umask(), chdir(), mt_srand(), error_get_last(), date_default_timezone_set(), output_add_rewrite_var(), header_register_callback(); shutdown functions a request registers run at its end, into its response
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$marker = tempnam(sys_get_temp_dir(), 'folk-shutdown-');
@unlink($marker);
$worker = <<<'PHP'
<?php
// Booting: what the application sets now is every request's start.
function boot_handler() { return false; }
function request_handler() { return false; }
function boot_exceptions($e) {}
function request_exceptions($e) {}
ini_set('precision', '10');
date_default_timezone_set('Europe/Paris');
set_error_handler('boot_handler');
set_exception_handler('boot_exceptions');
chdir(sys_get_temp_dir());
umask(022);
register_shutdown_function(function () {});
$marker = getenv('SHUTDOWN_MARKER');
while (Folk\Worker::handleRequest(function () use ($marker) {
    if (isset($_GET['form'])) {
        output_add_rewrite_var('mine', '1');
        echo '<form action="/x"></form>';
        return;
    }
    $error_handler = set_error_handler(null); restore_error_handler();
    $exception_handler = set_exception_handler(null); restore_exception_handler();
    $seen = [
        'default_mimetype' => ini_get('default_mimetype'),
        'default_charset' => ini_get('default_charset'),
        'precision (set at boot)' => ini_get('precision'),
        'max_execution_time' => ini_get('max_execution_time'),
        'ignore_user_abort' => ini_get('ignore_user_abort'),
        'error handler' => $error_handler,
        'exception handler' => $exception_handler,
        'locale' => setlocale(LC_ALL, 0),
        'umask' => decoct(umask()),
        'cwd (set at boot)' => getcwd() === realpath(sys_get_temp_dir()) ? 'boot dir' : getcwd(),
        'mt_rand' => mt_rand(),
        'error_get_last' => error_get_last()['message'] ?? null,
        'timezone (set at boot)' => date_default_timezone_get(),
        'shutdown function of the last request' => is_file($marker) ? file_get_contents($marker) : 'not run',
    ];
    if (isset($_GET['dirty'])) {
        ini_set('default_mimetype', 'text/xml');
        ini_set('default_charset', '');
        ini_set('precision', '5');
        set_time_limit(100);
        ignore_user_abort(true);
        set_error_handler('request_handler');
        set_exception_handler('request_exceptions');
        $seen['setlocale'] = setlocale(LC_ALL, 'C.UTF-8');
        umask(077);
        chdir('/');
        mt_srand(42);
        date_default_timezone_set('Asia/Tokyo');
        output_add_rewrite_var('left', 'by-the-last-request');
        @trigger_error('left by the last request', E_USER_WARNING);
        header_register_callback(function () { header('X-Callback: left by the last request'); });
        register_shutdown_function(function () use ($marker) { file_put_contents($marker, 'ran'); echo '[shutdown function output]'; });
    }
    echo json_encode($seen), "\n";
})) {}
PHP;
$root = folk_docroot(['worker.php' => $worker]);
$srv = folk_start_server(['worker' => "$root/worker.php", 'workers' => ['count' => 1], 'server' => ['main_worker' => false]], ['SHUTDOWN_MARKER' => $marker]);
$port = $srv[2];
[, , $clean] = folk_http($port, 'GET', '/');
[, $dirty_headers, $dirty] = folk_http($port, 'GET', '/?dirty=1');
[, $after_headers, $after] = folk_http($port, 'GET', '/');
folk_http($port, 'GET', '/?dirty=1');
[, , $form] = folk_http($port, 'GET', '/?form=1');
$clean = json_decode(strtok($clean, "\n"), true);
$after_body = $after;
$after = json_decode(strtok($after, "\n"), true);
mt_srand(42);
$seeded = mt_rand();
echo "the dirty request changed its locale: ", json_decode(strtok($dirty, "\n"), true)['setlocale'] ?: 'no (C.UTF-8 missing)', "\n";
echo "its shutdown function printed into its response: ", str_contains($dirty, '[shutdown function output]') ? 'yes' : "no: $dirty", "\n";
foreach ($after as $what => $value) {
    if ($what === 'mt_rand') {
        echo "mt_rand: ", $value === $seeded ? 'still seeded by the last request' : 'reseeded', "\n";
        continue;
    }
    if ($what === 'locale') {
        echo "locale: ", $value === $clean[$what] ? 'as in the first request' : "$value (first request: $clean[$what])", "\n";
        continue;
    }
    if ($what === 'shutdown function of the last request') {
        echo "$what: $value\n";
        continue;
    }
    echo "$what: ", json_encode($value, JSON_UNESCAPED_SLASHES), $value === $clean[$what] ? '' : ' (first request: ' . json_encode($clean[$what]) . ')', "\n";
}
echo "content-type: ", $after_headers['content-type'][0] ?? 'none', "\n";
echo "x-callback: ", $after_headers['x-callback'][0] ?? 'none', "\n";
echo "output_add_rewrite_var() after one of the last request: ", preg_replace('/\s+/', ' ', $form), "\n";
folk_stop_server($srv);
folk_rmdir($root);
@unlink($marker);
?>
--EXPECT--
the dirty request changed its locale: C.UTF-8
its shutdown function printed into its response: yes
default_mimetype: "text/html"
default_charset: "UTF-8"
precision (set at boot): "10"
max_execution_time: "30"
ignore_user_abort: "0"
error handler: "boot_handler"
exception handler: "boot_exceptions"
locale: as in the first request
umask: "22"
cwd (set at boot): "boot dir"
mt_rand: reseeded
error_get_last: null
timezone (set at boot): "Europe/Paris"
shutdown function of the last request: ran
content-type: text/html; charset=UTF-8
x-callback: none
output_add_rewrite_var() after one of the last request: <form action="/x"><input type="hidden" name="mine" value="1" /></form>
