--TEST--
Static serving never sends a dotfile, PHP source (.php, .PHP, .php., .inc), a file behind a symlink out of the root, or anything reached by .. or %00: those requests reach the worker, which never sends files
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/docroot.php';
$secret = 'SECRET-' . bin2hex(random_bytes(8));
$root = folk_docroot([
    '.env' => $secret, '.git/config' => $secret, 'index.php' => "<?php // $secret", 'Upper.PHP' => "<?php // $secret",
    'dot.php.' => "<?php // $secret", 'config.inc' => "<?php // $secret", 'ok.txt' => 'fine',
]);
file_put_contents(dirname($root) . '/outside.txt', $secret);
symlink(dirname($root) . '/outside.txt', "$root/link.txt");
symlink("$root/index.php", "$root/source.txt");
$srv = folk_start_server(['workers' => ['count' => 1], 'http' => ['root' => $root]]);
$port = $srv[2];
$leaks = 0;
foreach (['/.env', '/.git/config', '/index.php', '/Upper.PHP', '/dot.php.', '/config.inc', '/link.txt', '/source.txt',
          '/../outside.txt', '/%2e%2e/outside.txt', '/ok.txt/../.env', '/index.php%00.txt', '/%2eenv', '/.%65nv'] as $p) {
    [$s, , $b] = folk_http($port, 'GET', $p);
    if (str_contains($b, $secret)) { echo "LEAK $p\n"; $leaks++; }
}
echo "$leaks leaks\n";
[$s, , $b] = folk_http($port, 'GET', '/ok.txt');
var_dump($s, $b);
folk_stop_server($srv);
?>
--EXPECT--
0 leaks
int(200)
string(4) "fine"
