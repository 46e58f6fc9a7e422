--TEST--
Configuration precedence: folk.* INI < the options array < FOLK_* environment
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
[$a, $b, $c] = [folk_free_port(), folk_free_port(), folk_free_port()];
$cases = [
    'ini only'          => [[], [], ['folk.http.listen' => "127.0.0.1:$a"], $a],
    'array beats ini'   => [['http' => ['listen' => "127.0.0.1:$b"]], [], ['folk.http.listen' => "127.0.0.1:$a"], $b],
    'env beats array'   => [['http' => ['listen' => "127.0.0.1:$b"]], ['FOLK_HTTP_LISTEN' => "127.0.0.1:$c"], ['folk.http.listen' => "127.0.0.1:$a"], $c],
];
foreach ($cases as $name => [$opts, $env, $ini, $expect]) {
    $opts['workers'] = ['count' => 1];
    $opts['http']['listen'] ??= null;
    if ($opts['http']['listen'] === null) unset($opts['http']);
    $srv = folk_start_server($opts + ['http' => ['enabled' => true]], $env, $ini, false);
    $srv[2] = $expect;
    folk_wait_port($expect, $srv[0], $srv[3]);
    echo $name, ": ", folk_http($expect, 'GET', '/')[0], "\n";
    folk_stop_server($srv);
}
?>
--EXPECT--
ini only: 200
array beats ini: 200
env beats array: 200
