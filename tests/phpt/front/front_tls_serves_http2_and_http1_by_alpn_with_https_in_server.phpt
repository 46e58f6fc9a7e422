--TEST--
http.tls: with a certificate and key, http.listen speaks TLS; curl gets HTTP/2 by ALPN (--http2) and HTTP/1.1 (--http1.1), the script sees HTTPS=on and REQUEST_SCHEME=https, plain HTTP on the TLS port gets no answer, and http.tls.redirect_listen answers 308 to the https URL
--SKIPIF--
<?php
if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
elseif (!str_contains((string) shell_exec('curl --version 2>/dev/null'), 'HTTP2')) echo 'skip needs a curl with HTTP/2';
elseif (!shell_exec('command -v openssl')) echo 'skip needs the openssl command';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
require __DIR__ . '/../../fixtures/tls.php';
$dir = sys_get_temp_dir() . '/folk-tls-' . getmypid();
[$cert, $key] = folk_tls_cert($dir, 'first');
$redirect = folk_free_port();
$srv = folk_classic(
    ['s.php' => '<?php echo $_SERVER["HTTPS"] ?? "-", " ", $_SERVER["REQUEST_SCHEME"], " ", $_SERVER["SERVER_PROTOCOL"], "\n";'],
    ['http' => ['tls' => ['cert' => $cert, 'key' => $key, 'redirect_listen' => "127.0.0.1:$redirect"]]],
);
$port = $srv[2];
$curl = fn (string ...$args) => shell_exec('curl -s --cacert ' . escapeshellarg($cert) . " --resolve localhost:$port:127.0.0.1 "
    . implode(' ', array_map('escapeshellarg', $args)) . ' 2>&1');
echo $curl('--http2', '-w', "%{http_version}\n", "https://localhost:$port/s.php");
echo $curl('--http1.1', '-w', "%{http_version}\n", "https://localhost:$port/s.php");
echo $curl('--http1.1', '--tlsv1.2', '--tls-max', '1.2', '-w', "%{http_version}\n", "https://localhost:$port/s.php");
// The certificate is verified against the CA file: a wrong name fails, so the TLS really is ours.
echo "wrong name: ", trim(shell_exec('curl -s -o /dev/null -w "%{http_code}" --cacert ' . escapeshellarg($cert) . " --resolve wrong.example:$port:127.0.0.1 https://wrong.example:$port/s.php")), "\n";
[$status] = folk_http($port, 'GET', '/s.php', [], '', 3.0);
echo "plain HTTP on the TLS port: status $status\n";
[$status, $h] = folk_http($redirect, 'GET', '/s.php?a=1');
echo "redirect: $status ", str_replace(":$port/", ':<tls port>/', $h['location'][0] ?? '-'), "\n";
[$code, $log] = folk_stop_server($srv);
echo "exit $code\n";
folk_rm_dir($dir);
?>
--EXPECT--
on https HTTP/2.0
2
on https HTTP/1.1
1.1
on https HTTP/1.1
1.1
wrong name: 000
plain HTTP on the TLS port: status 0
redirect: 308 https://127.0.0.1:<tls port>/s.php?a=1
exit 0
