--TEST--
http.tls: after the certificate files are replaced, SIGHUP makes new connections get the new certificate while an open keep-alive connection goes on with the old one; a broken replacement on SIGHUP is refused with a log line and the certificate in use stays
--SKIPIF--
<?php
if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
elseif (!shell_exec('command -v openssl')) echo 'skip needs the openssl command';
elseif (!extension_loaded('openssl')) echo 'skip needs ext/openssl for the TLS client';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
require __DIR__ . '/../../fixtures/tls.php';
$dir = sys_get_temp_dir() . '/folk-tls-hup-' . getmypid();
[$c1, $k1] = folk_tls_cert($dir, 'first');
[$cert, $key] = ["$dir/live.crt", "$dir/live.key"];
copy($c1, $cert); copy($k1, $key);
$srv = folk_classic(['s.php' => '<?php echo "ok ", $_SERVER["HTTPS"];'], ['http' => ['tls' => ['cert' => $cert, 'key' => $key]]]);
$port = $srv[2];
$pid = proc_get_status($srv[0])['pid'];

function ask($c): string {
    fwrite($c, folk_http_request('GET', '/s.php', [], ''));
    [$status, , $body] = folk_read_response($c);
    return "$status $body";
}
function wait_log(string $log, string $needle): bool {
    $deadline = microtime(true) + 5;
    while (microtime(true) < $deadline) { if (str_contains(file_get_contents($log), $needle)) return true; usleep(20000); }
    return false;
}

[$old, $cn] = folk_tls_connect($port);
echo "old connection: $cn, ", ask($old), "\n";

[$c2, $k2] = folk_tls_cert($dir, 'second');
copy($c2, $cert); copy($k2, $key);
posix_kill($pid, SIGHUP);
var_dump(wait_log($srv[3], 'TLS certificate re-read'));
[$new, $cn] = folk_tls_connect($port);
echo "new connection: $cn, ", ask($new), "\n";
echo "old connection again: ", ask($old), "\n";
fclose($new);

file_put_contents($key, "garbage\n");
posix_kill($pid, SIGHUP);
var_dump(wait_log($srv[3], 'TLS certificate not replaced'));
[$after, $cn] = folk_tls_connect($port);
echo "after a broken replacement: $cn, ", ask($after), "\n";
fclose($after);
fclose($old);
[$code, $log] = folk_stop_server($srv);
echo "exit $code\n";
preg_match('/TLS certificate not replaced[^\n]*/', str_replace($dir, '<dir>', $log), $m);
echo $m[0], "\n";
folk_rm_dir($dir);
?>
--EXPECT--
old connection: first, 200 ok on
bool(true)
new connection: second, 200 ok on
old connection again: 200 ok on
bool(true)
after a broken replacement: second, 200 ok on
exit 0
TLS certificate not replaced, the old one stays in use: http.tls.key <dir>/live.key: no private key in it (expected -----BEGIN PRIVATE KEY----- or an RSA/EC key)
