--TEST--
http.tls: an expired certificate, a key that does not match, a file that is not PEM, a missing file, or only half of the pair stops the server at start-up with a message naming the file (or key), and it exits non-zero
--SKIPIF--
<?php
if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
elseif (!shell_exec('command -v openssl')) echo 'skip needs the openssl command';
elseif (!extension_loaded('openssl')) echo 'skip needs ext/openssl for the expired certificate';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/tls.php';
$dir = sys_get_temp_dir() . '/folk-tls-bad-' . getmypid();
[$cert, $key] = folk_tls_cert($dir, 'good');
[, $otherKey] = folk_tls_cert($dir, 'other');
[$expired, $expiredKey] = folk_tls_expired_cert($dir);
file_put_contents("$dir/garbage.crt", "this is not a certificate\n");
$cases = [
    'expired' => ['cert' => $expired, 'key' => $expiredKey],
    'mismatched key' => ['cert' => $cert, 'key' => $otherKey],
    'not PEM' => ['cert' => "$dir/garbage.crt", 'key' => $key],
    'key file holds a certificate' => ['cert' => $cert, 'key' => $cert],
    'missing file' => ['cert' => "$dir/nope.crt", 'key' => $key],
    'only the cert' => ['cert' => $cert],
];
foreach ($cases as $name => $tls) {
    $srv = folk_start_server(['workers' => ['count' => 1], 'http' => ['listen' => '127.0.0.1:' . folk_free_port(), 'tls' => $tls]], [], [], false);
    $deadline = microtime(true) + 10;
    while (proc_get_status($srv[0])['running'] && microtime(true) < $deadline) usleep(20000);
    [$code, $log] = folk_stop_server($srv);
    preg_match('/(http\.tls\.\S+ .*?)(?: in \/|\n|$)/', str_replace($dir, '<dir>', $log), $m);
    echo "$name: exit ", $code === 0 ? '0' : 'non-zero', ": ", $m[1] ?? "no message; log:\n$log", "\n";
}
folk_rm_dir($dir);
?>
--EXPECTF--
expired: exit non-zero: http.tls.cert <dir>/expired.crt: the certificate expired on %s GMT
mismatched key: exit non-zero: http.tls.key <dir>/other.key does not match the certificate in http.tls.cert <dir>/good.crt
not PEM: exit non-zero: http.tls.cert <dir>/garbage.crt: no certificate in it (expected -----BEGIN CERTIFICATE-----)
key file holds a certificate: exit non-zero: http.tls.key <dir>/good.crt: no private key in it (expected -----BEGIN PRIVATE KEY----- or an RSA/EC key)
missing file: exit non-zero: http.tls.cert <dir>/nope.crt: cannot read: %s
only the cert: exit non-zero: http.tls.cert is set but http.tls.key is not: set both, or neither
