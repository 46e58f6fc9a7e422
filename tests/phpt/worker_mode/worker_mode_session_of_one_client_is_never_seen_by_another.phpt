--TEST--
Worker mode: a session started by client A is never visible to client B on the same worker thread (no id, no data, no cookie), and A's next request finds its data through its own cookie
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/worker_mode_harness.php';
$worker = <<<'PHP'
<?php
while (Folk\Worker::handleRequest(function () {
    if (isset($_GET['login'])) { session_start(); $_SESSION['user'] = $_GET['login']; }
    elseif (isset($_COOKIE[session_name()])) { session_start(); }
    elseif (isset($_GET['start'])) { session_start(); }
    echo json_encode(['id' => session_id(), 'user' => $_SESSION['user'] ?? null, 'global' => isset($_SESSION)]);
})) {}
PHP;
$srv = folk_worker_mode($worker);
$port = $srv[2];
[, $h, $b] = folk_http($port, 'GET', '/?login=alice');
preg_match('/PHPSESSID=([^;]+)/', $h['set-cookie'][0] ?? '', $m);
$alice = $m[1] ?? '';
echo "alice: ", json_decode($b, true)['user'], " ", strlen($alice) > 20 ? 'cookie' : 'no cookie', "\n";
// Bob has no cookie: nothing of alice's session.
[, $h, $b] = folk_http($port, 'GET', '/');
var_dump(json_decode($b, true), isset($h['set-cookie']));
// Bob starts a session of his own: a new id, no data.
[, $h, $b] = folk_http($port, 'GET', '/?start=1');
$bob = json_decode($b, true);
var_dump($bob['id'] !== $alice && $bob['id'] !== '', $bob['user'], str_contains($h['set-cookie'][0] ?? '', $alice));
// Alice comes back with her cookie.
[, , $b] = folk_http($port, 'GET', '/', ['cookie' => "PHPSESSID=$alice"]);
$a = json_decode($b, true);
var_dump($a['id'] === $alice, $a['user']);
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
alice: alice cookie
array(3) {
  ["id"]=>
  string(0) ""
  ["user"]=>
  NULL
  ["global"]=>
  bool(false)
}
bool(false)
bool(true)
NULL
bool(false)
bool(true)
string(5) "alice"
int(0)
