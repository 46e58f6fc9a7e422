--TEST--
The folk command prints its version and usage, and refuses an unknown command, an unknown option, a missing value or a missing root with exit 2 and a message that names it
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$folk = dirname(__DIR__, 3) . '/bin/folk';
$env = ['FOLK_PHP' => PHP_BINARY, 'FOLK_EXTENSION' => folk_extension_path(), 'PATH' => getenv('PATH')];
function run(string $folk, array $env, array $args): array {
    $p = proc_open(array_merge([$folk], $args), [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env);
    $out = stream_get_contents($pipes[1]); $err = stream_get_contents($pipes[2]);
    return [proc_close($p), trim($out), trim(strtok($err, "\n"))];
}
[$code, $out] = run($folk, $env, ['version']);
var_dump($code, $out === 'folk ' . folk_version() . ' (PHP ' . PHP_VERSION . ' ZTS)');
[$code, $out] = run($folk, $env, ['help']);
var_dump($code, str_contains($out, 'folk serve [ROOT]'));
foreach ([['bogus'], ['serve', '--port', '1'], ['serve', '/tmp', '--listen'], ['serve'], ['serve', '/tmp', '/var']] as $args) {
    [$code, , $err] = run($folk, $env, $args);
    echo $code, ' ', $err, "\n";
}
[$code, , $err] = run($folk, $env, ['serve', '/no/such/dir']);
echo $code, ' ', $err, "\n";
[$code, , $err] = run($folk, $env, ['serve', '/tmp', '--worker', '/no/such/worker.php']);
echo $code, ' ', $err, "\n";
?>
--EXPECT--
int(0)
bool(true)
int(0)
bool(true)
2 folk: unknown command 'bogus'
2 folk: unknown option --port
2 folk: --listen needs a value
2 folk: serve needs a document root, a --worker, or both (or --fastcgi, where the web server names the scripts)
2 folk: serve takes one document root, got '/tmp' and '/var'
1 folk: the document root /no/such/dir is not a directory
1 folk: invalid option 'worker': cannot open /no/such/worker.php: No such file or directory (os error 2)
