--TEST--
A RoadRunner worker's free-standing requests share nothing: a header, a cookie and a status one request set, and its writes to $_SERVER, $_GET and $_COOKIE, are gone in the next request on the same worker; a request the script leaves unanswered is answered with its output by the next waitRequest()
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('slim')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
$srv = folk_start_server(['worker' => dirname(__DIR__, 2) . '/fixtures/worker_roadrunner.php', 'workers' => ['count' => 1],
    'server' => ['main_worker' => false], 'http' => ['roadrunner_compat' => true]]);
[$s, $h, $b] = folk_http($srv[2], 'GET', '/leak?mine=1', ['cookie' => 'mine=1']);
echo "/leak: $s $b, X-Leak ", $h['x-leak'][0] ?? 'missing', ', X-Own ', $h['x-own'][0] ?? 'missing', ', Set-Cookie ', $h['set-cookie'][0] ?? 'missing', "\n";
[$s, $h, $b] = folk_http($srv[2], 'GET', '/report?q=2', ['cookie' => 'other=2']);
$r = json_decode($b, true);
echo "/report: $s, X-Leak ", $h['x-leak'][0] ?? 'gone', ', Set-Cookie ', $h['set-cookie'][0] ?? 'gone', "\n";
echo '$_SERVER[X_LEAK] ', var_export($r['server'], true), ', $_GET ', json_encode($r['get']), ', $_COOKIE ', json_encode($r['cookie']),
    ', headers ', json_encode($r['headers']), ', status ', $r['status'], ", served {$r['served']}\n";
[$s, $h, $b] = folk_http($srv[2], 'GET', '/unanswered');
echo "/unanswered: $s $b, X-Unanswered ", $h['x-unanswered'][0] ?? 'missing', "\n";
[$s, $h, $b] = folk_http($srv[2], 'GET', '/report');
$r = json_decode($b, true);
echo "/report: $s, X-Unanswered ", $h['x-unanswered'][0] ?? 'gone', ', headers ', json_encode($r['headers']), ", served {$r['served']}\n";
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
/leak: 418 leak set, X-Leak 1, X-Own leak, Set-Cookie leaked=yes
/report: 200, X-Leak gone, Set-Cookie gone
$_SERVER[X_LEAK] NULL, $_GET {"q":"2"}, $_COOKIE {"other":"2"}, headers [], status 200, served 2
/unanswered: 200 unanswered output, X-Unanswered 1
/report: 200, X-Unanswered gone, headers [], served 4
int(0)
