--TEST--
gRPC: a grpc.proto file that does not compile (a syntax error, an import not found, an unknown type) refuses the server's start, and the error names the file, line and column; a missing file is named too
--SKIPIF--
<?php if (!function_exists('posix_kill')) die('skip needs posix'); ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$dir = sys_get_temp_dir() . '/folk-grpc-proto-' . bin2hex(random_bytes(4));
mkdir($dir);
$cases = [
    'syntax.proto' => "syntax = \"proto3\";\npackage p;\nmessage M {\n  string name = ;\n}\n",
    'import.proto' => "syntax = \"proto3\";\n\nimport \"nowhere/other.proto\";\n",
    'type.proto' => "syntax = \"proto3\";\nservice S {\n  rpc M (Missing) returns (Missing);\n}\n",
    'missing.proto' => null,
];
foreach ($cases as $name => $text) {
    if ($text !== null) file_put_contents("$dir/$name", $text);
    $srv = folk_start_server(['grpc' => ['listen' => '127.0.0.1:' . folk_free_port(), 'proto' => ["$dir/$name"]]], [], [], false);
    // The server must exit by itself: its exit code is read here (folk_stop_server() then only cleans up).
    $deadline = microtime(true) + 20;
    while (($st = proc_get_status($srv[0]))['running'] && microtime(true) < $deadline) usleep(20000);
    [, $log] = folk_stop_server($srv);
    preg_match('/Uncaught .*grpc\.proto: .*/', $log, $m);
    echo $name, ': ', $st['running'] ? 'still running' : 'exit ' . ($st['exitcode'] === 0 ? 0 : 'non-zero'), ': ', str_replace($dir, 'DIR', $m[0] ?? $log), "\n";
}
exec('rm -rf ' . escapeshellarg($dir));
?>
--EXPECTF--
syntax.proto: exit non-zero: Uncaught Folk\Exception\FolkException: plugin 'grpc' failed to boot: grpc.proto: DIR/syntax.proto:4:17: expected an integer, but found ';' in %s
import.proto: exit non-zero: Uncaught Folk\Exception\FolkException: plugin 'grpc' failed to boot: grpc.proto: DIR/import.proto:3:1: import 'nowhere/other.proto' not found in %s
type.proto: exit non-zero: Uncaught Folk\Exception\FolkException: plugin 'grpc' failed to boot: grpc.proto: DIR/type.proto:3:10: name 'Missing' is not defined in %s
missing.proto: exit non-zero: Uncaught Folk\Exception\FolkException: plugin 'grpc' failed to boot: grpc.proto: DIR/missing.proto: no such file (paths are relative to the directory folk starts in) in %s
