--TEST--
The example site `make run` serves works in classic mode: its pages, the stylesheet and logo as static files, a form post with its CSRF token, a session counter, a redirect after post, and an upload
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$site = dirname(__DIR__, 3) . '/php/examples/site';
$srv = folk_start_server(['worker' => null, 'workers' => ['count' => 2], 'http' => ['root' => $site]]);
$port = $srv[2];
[$s, $h, $b] = folk_http($port, 'GET', '/');
var_dump($s, str_contains($b, '<h1>Hello</h1>'), str_contains($b, 'fpm-fcgi'));
preg_match('/PHPSESSID=([^;]+)/', $h['set-cookie'][0] ?? '', $m);
$cookie = ['cookie' => "PHPSESSID={$m[1]}"];
[$s, $h, $b] = folk_http($port, 'GET', '/style.css');
var_dump($s, $h['content-type'][0], $b === file_get_contents("$site/style.css"), isset($h['set-cookie']));
[$s, $h] = folk_http($port, 'GET', '/logo.svg');
var_dump($s, $h['content-type'][0]);
// The session counts pages; the guestbook form needs its token.
[, , $b] = folk_http($port, 'GET', '/guestbook', $cookie);
var_dump(str_contains($b, 'seen 2 page(s)'));
preg_match('/name="csrf" value="([0-9a-f]+)"/', $b, $t);
$form = ['content-type' => 'application/x-www-form-urlencoded'] + $cookie;
[$s] = folk_http($port, 'POST', '/guestbook', $form, 'csrf=wrong&name=Mallory');
var_dump($s);
[$s, $h] = folk_http($port, 'POST', '/guestbook', $form, "csrf={$t[1]}&name=Ada");
var_dump($s, $h['location'][0]);
[, , $b] = folk_http($port, 'GET', '/guestbook', $cookie);
var_dump(str_contains($b, '<li>Ada'), !str_contains($b, 'Mallory'));
// Another visitor has a session of their own.
[, , $b] = folk_http($port, 'GET', '/guestbook');
var_dump(str_contains($b, 'Nobody yet'));
[$body, $mh] = folk_multipart(['csrf' => $t[1]], ['file' => ['notes.txt', 'text/plain', 'hello upload']]);
[$s, , $b] = folk_http($port, 'POST', '/upload', $mh + $cookie, $body);
var_dump($s, str_contains($b, '<b>notes.txt</b>: 12 bytes, sha1 <code>' . sha1('hello upload')));
[$s, , $b] = folk_http($port, 'GET', '/no-such-page');
var_dump($s, str_contains($b, 'Not found'));
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
int(200)
bool(true)
bool(true)
int(200)
string(8) "text/css"
bool(true)
bool(false)
int(200)
string(13) "image/svg+xml"
bool(true)
int(403)
int(302)
string(10) "/guestbook"
bool(true)
bool(true)
bool(true)
int(200)
bool(true)
int(404)
bool(true)
int(0)
