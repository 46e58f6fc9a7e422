--TEST--
make dist's tarball, unpacked in a new directory and moved once more, runs with the PHP build prefix and this checkout hidden (a private mount namespace puts empty directories over them): bin/folk version, its install-runtime-deps.sh, bin/folk serve of a docroot (classic mode and a static file) and of a worker script answer over HTTP, and its PHP loads only the distribution's php.ini, conf.d and extensions
--SKIPIF--
<?php
if (!function_exists('posix_kill')) die('skip needs posix to signal the server');
if (posix_geteuid() !== 0) die('skip hiding the build prefix takes a mount namespace (root)');
exec('unshare --mount --propagation private true 2>&1', $o, $rc);
if ($rc !== 0) die('skip no mount namespaces here: ' . implode(' ', $o));
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
$checkout = realpath(dirname(__DIR__, 3));
$prefix = realpath("$checkout/.php");
$tmp = sys_get_temp_dir() . '/folk-dist-test-' . getmypid();
mkdir("$tmp/out", 0777, true);

// Built as `make dist` builds it (into a directory of the test's own).
exec(escapeshellarg("$checkout/scripts/dist.sh") . ' ' . escapeshellarg("$tmp/out") . ' 2>' . escapeshellarg("$tmp/dist.log"), $out, $rc);
$tarball = end($out);
echo "dist.sh: exit $rc, ", preg_match('#/folk-[0-9.]+-linux-[a-z0-9_]+\.tar\.gz$#', (string) $tarball) ? 'a tarball named folk-<version>-linux-<arch>.tar.gz' : "no tarball: " . file_get_contents("$tmp/dist.log"), "\n";

// Unpacked in one place, then moved to another.
mkdir("$tmp/first");
exec('tar -xzf ' . escapeshellarg($tarball) . ' -C ' . escapeshellarg("$tmp/first"), $o, $rc);
$dirs = glob("$tmp/first/folk-*");
mkdir("$tmp/elsewhere/deeper", 0777, true);
rename($dirs[0], "$tmp/elsewhere/deeper/folk");
$folk = "$tmp/elsewhere/deeper/folk";
echo "unpacked and moved: ", is_executable("$folk/bin/folk") && !is_dir($dirs[0]) ? 'yes' : 'no', "\n";

/** A command in a private mount namespace where the PHP build prefix and this checkout are empty directories. */
function hidden(array $cmd, string $prefix, string $checkout): array
{
    $script = 'mount -t tmpfs tmpfs "$1" && mount -t tmpfs tmpfs "$2" && shift 2 && exec "$@"';
    return array_merge(['unshare', '--mount', '--propagation', 'private', 'sh', '-c', $script, 'sh', $prefix, $checkout], $cmd);
}
function run(array $cmd): string
{
    $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, '/');
    $out = trim(stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]));
    proc_close($p);
    return $out;
}
echo "the build prefix, seen from inside: ", run(hidden(['ls', '-A', $prefix], $prefix, $checkout)) === '' ? 'empty' : 'VISIBLE', "\n";
echo run(hidden(["$folk/bin/folk", 'version'], $prefix, $checkout)), "\n";
echo preg_replace('/\(\d+ packages\)/', '(N packages)', run(hidden(["$folk/install-runtime-deps.sh"], $prefix, $checkout))), "\n";
$paths = run(hidden(["$folk/bin/folk", 'php', '-r', 'echo php_ini_loaded_file(), " ", ini_get("extension_dir"), " ", ini_get("opcache.enable") ? "opcache" : "-", " ", implode(",", array_map("basename", explode(",", str_replace("\n", "", (string) php_ini_scanned_files())))) ?: "(no conf.d files)";'], $prefix, $checkout));
echo "its PHP: ", str_replace($folk, '<folk>', $paths), "\n";

// Serving: classic mode over a docroot, then a worker script.
$root = "$tmp/site";
mkdir($root);
file_put_contents("$root/index.php", '<?php echo "classic ", PHP_VERSION, " ", extension_loaded("folk") ? "folk" : "-", " ", php_ini_loaded_file();');
file_put_contents("$root/hello.txt", 'static hello');
file_put_contents("$tmp/worker.php", '<?php Folk\Worker::serve(fn () => "worker " . (new ReflectionClass(Folk\Worker::class))->getExtensionName());');
foreach (['classic' => [$root], 'worker' => [$root, '--worker', "$tmp/worker.php"]] as $mode => $args) {
    $port = folk_free_port();
    $log = "$tmp/$mode.log";
    $env = ['PATH' => getenv('PATH'), 'FOLK_SERVER_SUPERVISE' => 'false'];
    $proc = proc_open(hidden(array_merge(["$folk/bin/folk", 'serve'], $args, ['--listen', "127.0.0.1:$port", '--workers', '1']), $prefix, $checkout),
        [1 => ['file', $log, 'w'], 2 => ['file', $log, 'a']], $pipes, '/', $env);
    folk_wait_port($port, $proc, $log);
    [$s, , $b] = folk_http($port, 'GET', $mode === 'classic' ? '/index.php' : '/anything');
    echo "$mode: $s ", str_replace($folk, '<folk>', $b), "\n";
    if ($mode === 'classic') { [$s, , $b] = folk_http($port, 'GET', '/hello.txt'); echo "static: $s $b\n"; }
    // The server is the unshare'd child's descendant: signal the whole group of it.
    [$code, $text] = folk_stop_server([$proc, $pipes, $port, $log, "$tmp/none"]);
    echo "$mode stopped: $code\n";
}
exec('rm -rf ' . escapeshellarg($tmp));
?>
--EXPECTF--
dist.sh: exit 0, a tarball named folk-<version>-linux-<arch>.tar.gz
unpacked and moved: yes
the build prefix, seen from inside: empty
folk %s (PHP 8.2.%d ZTS)
folk: every runtime library is installed (N packages)
its PHP: <folk>/etc/php.ini <folk>/lib/php/extensions opcache %s
classic: 200 classic 8.2.%d folk <folk>/etc/php.ini
static: 200 static hello
classic stopped: 0
worker: 200 worker folk
worker stopped: 0
