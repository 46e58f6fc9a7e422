--TEST--
http.trusted_proxies: from a trusted peer the right-most untrusted X-Forwarded-For address becomes REMOTE_ADDR and X-Forwarded-Proto/-Host/-Port set HTTPS, SERVER_NAME, SERVER_PORT (classic mode and the worker payload); from an untrusted peer the same headers change nothing
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$script = '<?php foreach (["REMOTE_ADDR", "REMOTE_PORT", "HTTPS", "REQUEST_SCHEME", "SERVER_NAME", "SERVER_PORT", "HTTP_HOST", "HTTP_X_FORWARDED_FOR"] as $k) echo $k, "=", $_SERVER[$k] ?? "-", "\n";';
$spoof = ['x-forwarded-for' => '6.6.6.6, 203.0.113.7, 10.9.9.9', 'x-forwarded-proto' => 'https', 'x-forwarded-host' => 'shop.example', 'x-forwarded-port' => '8443'];
$rfc = ['forwarded' => 'for="[2001:db8::17]:4711";proto=https;host=www.example, for=10.9.9.9'];

echo "-- untrusted (no trusted_proxies)\n";
$srv = folk_classic(['s.php' => $script]);
$out = folk_http($srv[2], 'GET', '/s.php', $spoof)[2];
// The socket's own values: REMOTE_PORT is the client's ephemeral port, so only its presence is checked.
echo preg_replace('/REMOTE_PORT=\d+/', 'REMOTE_PORT=<port>', str_replace((string) $srv[2], '<srvport>', $out));
folk_stop_server($srv);

echo "-- untrusted peer (trusted_proxies names another range)\n";
$srv = folk_classic(['s.php' => $script], ['http' => ['trusted_proxies' => ['10.0.0.0/8', '192.168.0.0/16']]]);
$out = folk_http($srv[2], 'GET', '/s.php', $spoof)[2];
echo preg_replace('/REMOTE_PORT=\d+/', 'REMOTE_PORT=<port>', str_replace((string) $srv[2], '<srvport>', $out));
folk_stop_server($srv);

echo "-- trusted peer\n";
$srv = folk_classic(['s.php' => $script], ['http' => ['trusted_proxies' => '127.0.0.1, 10.0.0.0/8']]);
echo folk_http($srv[2], 'GET', '/s.php', $spoof)[2];
echo "-- trusted peer, RFC 7239 Forwarded\n";
echo folk_http($srv[2], 'GET', '/s.php', $rfc)[2];
folk_stop_server($srv);

echo "-- worker mode payload (only 127.0.0.1 trusted: 10.9.9.9 is the right-most untrusted hop)\n";
$srv = folk_start_server(['workers' => ['count' => 1], 'http' => ['trusted_proxies' => ['127.0.0.1']]]);
$r = json_decode(folk_http($srv[2], 'GET', '/request', $spoof)[2], true);
var_dump($r['remote'], $r['https'], $r['server_name'], $r['server_port']);
folk_stop_server($srv);
$srv = folk_start_server(['workers' => ['count' => 1]]);
$r = json_decode(folk_http($srv[2], 'GET', '/request', $spoof)[2], true);
var_dump(str_starts_with($r['remote'], '127.0.0.1:'), $r['https'], isset($r['server_name']), isset($r['server_port']));
folk_stop_server($srv);

echo "-- a bad range is refused at start-up, naming the key\n";
try { new Folk\Server(['worker' => __DIR__ . '/../../fixtures/worker_http.php', 'http' => ['trusted_proxies' => '10.0.0.1/8']]); }
catch (Folk\Exception\ConfigException $e) { echo $e->getMessage(), "\n"; }
?>
--EXPECT--
-- untrusted (no trusted_proxies)
REMOTE_ADDR=127.0.0.1
REMOTE_PORT=<port>
HTTPS=-
REQUEST_SCHEME=http
SERVER_NAME=127.0.0.1
SERVER_PORT=<srvport>
HTTP_HOST=127.0.0.1
HTTP_X_FORWARDED_FOR=6.6.6.6, 203.0.113.7, 10.9.9.9
-- untrusted peer (trusted_proxies names another range)
REMOTE_ADDR=127.0.0.1
REMOTE_PORT=<port>
HTTPS=-
REQUEST_SCHEME=http
SERVER_NAME=127.0.0.1
SERVER_PORT=<srvport>
HTTP_HOST=127.0.0.1
HTTP_X_FORWARDED_FOR=6.6.6.6, 203.0.113.7, 10.9.9.9
-- trusted peer
REMOTE_ADDR=203.0.113.7
REMOTE_PORT=
HTTPS=on
REQUEST_SCHEME=https
SERVER_NAME=shop.example
SERVER_PORT=8443
HTTP_HOST=127.0.0.1
HTTP_X_FORWARDED_FOR=6.6.6.6, 203.0.113.7, 10.9.9.9
-- trusted peer, RFC 7239 Forwarded
REMOTE_ADDR=2001:db8::17
REMOTE_PORT=4711
HTTPS=on
REQUEST_SCHEME=https
SERVER_NAME=www.example
SERVER_PORT=443
HTTP_HOST=127.0.0.1
HTTP_X_FORWARDED_FOR=-
-- worker mode payload (only 127.0.0.1 trusted: 10.9.9.9 is the right-most untrusted hop)
string(8) "10.9.9.9"
bool(true)
string(12) "shop.example"
int(8443)
bool(true)
bool(false)
bool(false)
bool(false)
-- a bad range is refused at start-up, naming the key
invalid option 'http.trusted_proxies': "10.0.0.1/8" has bits set beyond its /8 prefix (the network is 10.0.0.0/8)
