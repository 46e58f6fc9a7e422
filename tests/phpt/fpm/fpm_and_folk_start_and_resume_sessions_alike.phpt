--TEST--
folk and php-fpm + nginx start a session alike (Set-Cookie, nocache headers) and find its data again on the next request through that cookie
--SKIPIF--
<?php require __DIR__ . "/../../fixtures/fpm_reference.php"; if ($why = fpm_reference_unavailable()) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/fpm_reference.php';
$both = fpm_and_folk(['s.php' => '<?php session_start(); $_SESSION["n"] = ($_SESSION["n"] ?? 0) + 1; $_SESSION["seen"][] = $_GET["v"];'
    . ' echo json_encode([session_status(), $_SESSION, session_name(), strlen(session_id())]);']);
$first = fpm_and_folk_request($both, 'GET', '/s.php?v=1');
// Each server makes its own random session id.
fpm_compare('first request', $first, ['/PHPSESSID=[^;\s]+/' => 'PHPSESSID=ID']);
$ids = array_map(fn($a) => preg_match('/PHPSESSID=([^;]+)/', $a[1]['set-cookie'][0] ?? '', $m) ? $m[1] : 'none', $first);
fpm_compare('second request', [
    'folk' => folk_http($both['folk'][2], 'GET', '/s.php?v=2', ['cookie' => "PHPSESSID=$ids[folk]"]),
    'fpm' => folk_http($both['fpm']['port'], 'GET', '/s.php?v=2', ['cookie' => "PHPSESSID=$ids[fpm]"]),
]);
fpm_and_folk_stop($both);
?>
--EXPECT--
same: first request
same: second request
