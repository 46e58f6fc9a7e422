--TEST--
Debian's DokuWiki package, unmodified, in classic mode: a page, the login form posted with the session cookie, a logged-in page's CSRF token (sectok) accepted for logout and a wrong one refused, a static image and the PHP-built stylesheet
--SKIPIF--
<?php
require __DIR__ . '/../../fixtures/fpm_reference.php';
if (!function_exists('posix_kill')) die('skip needs posix to signal the server');
if (!is_file('/usr/share/dokuwiki/doku.php')) {
    if (posix_geteuid() !== 0) die('skip dokuwiki missing and not root to apt-get it');
    $lock = fopen(sys_get_temp_dir() . '/folk-fpm-reference-apt.lock', 'c');
    flock($lock, LOCK_EX);
    if (!is_file('/usr/share/dokuwiki/doku.php')) fpm_apt_install(['dokuwiki']);
    flock($lock, LOCK_UN);
    if (!is_file('/usr/share/dokuwiki/doku.php')) die('skip apt-get could not install dokuwiki (no network?)');
}
if (!is_writable('/var/lib/dokuwiki/acl/users.auth.php')) die('skip needs to add a test user to DokuWiki');
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
// DokuWiki keeps its users in /var/lib/dokuwiki/acl/users.auth.php (Debian's layout): add a test user
// for the run and put the file back exactly as it was afterwards. The application itself is not touched.
$users = '/var/lib/dokuwiki/acl/users.auth.php';
$saved = file_get_contents($users);
register_shutdown_function(fn() => file_put_contents($users, $saved));
file_put_contents($users, rtrim($saved, "\n") . "\nfolktest:" . password_hash('folk-pw', PASSWORD_BCRYPT) . ":Folk Test:folk@example.test:user\n");

$srv = folk_start_server(['worker' => null, 'workers' => ['count' => 1], 'http' => ['root' => '/usr/share/dokuwiki']], [], ['output_buffering' => '4096', 'date.timezone' => 'UTC']);
$port = $srv[2];
$jar = [];
function wiki(string $method, string $path, array $form = []): array
{
    global $port, $jar;
    $h = $jar ? ['cookie' => implode('; ', array_map(fn($k, $v) => "$k=$v", array_keys($jar), $jar))] : [];
    if ($form) $h['content-type'] = 'application/x-www-form-urlencoded';
    $r = folk_http($port, $method, $path, $h, $form ? http_build_query($form) : '');
    foreach ($r[1]['set-cookie'] ?? [] as $c) {
        [$kv] = explode(';', $c, 2); [$k, $v] = explode('=', $kv, 2);
        if ($v === 'deleted') unset($jar[$k]); else $jar[$k] = $v;
    }
    return $r;
}
function messages(string $html): array
{
    preg_match_all('/<div class="(?:error|info|success|notify)">(.*?)<\/div>/s', $html, $m);
    return array_map('trim', array_map('strip_tags', $m[1]));
}

// 1. The start page, and the session cookie DokuWiki starts.
[$s, $h, $b] = wiki('GET', '/doku.php');
echo "page: $s ", preg_match('/<title>start \[Debian DokuWiki\]<\/title>/', $b), ' session cookie: ', (int) isset($jar['DokuWiki']), "\n";
// 2. Logging in through the login form, with that session.
[$s, , $b] = wiki('GET', '/doku.php?id=start&do=login');
echo "login form: $s ", (int) str_contains($b, 'id="dw__login"'), "\n";
[$s, , $b] = wiki('POST', '/doku.php?id=start', ['id' => 'start', 'do' => 'login', 'u' => 'folktest', 'p' => 'wrong', 'sectok' => '']);
echo "wrong password: $s ", json_encode(messages($b)), "\n";
[$s, $h] = wiki('POST', '/doku.php?id=start', ['id' => 'start', 'do' => 'login', 'u' => 'folktest', 'p' => 'folk-pw', 'sectok' => '']);
echo "login: $s ", parse_url($h['location'][0] ?? '', PHP_URL_PATH), "\n";
// 3. A logged-in page carries a CSRF token tied to the session and the user.
[$s, , $b] = wiki('GET', '/doku.php?id=start');
preg_match('/name="sectok" value="([0-9a-f]{32})"/', $b, $m);
echo "logged in: $s ", (int) str_contains($b, 'Folk Test'), ' sectok: ', (int) isset($m[1]), "\n";
// 4. Logout refuses a wrong token (still logged in) and accepts the page's token.
[$s, , $b] = wiki('GET', '/doku.php?id=start&do=logout&sectok=0123456789abcdef0123456789abcdef');
[, , $b] = wiki('GET', '/doku.php?id=start');
echo "wrong sectok: still logged in ", (int) str_contains($b, 'Folk Test'), "\n";
[$s, $h] = wiki('GET', "/doku.php?id=start&do=logout&sectok=$m[1]");
[, , $b] = wiki('GET', '/doku.php?id=start');
echo "logout: $s ", (int) str_contains($h['location'][0] ?? '', 'do=login'), ' logged out ', (int) !str_contains($b, 'Folk Test'), "\n";
// 5. A static image served by folk, and the stylesheet DokuWiki builds in PHP.
[$s, $h, $b] = wiki('GET', '/lib/images/license/button/cc-by-sa.png');
echo "image: $s {$h['content-type'][0]} ", (int) str_starts_with($b, "\x89PNG"), "\n";
[$s, $h, $b] = wiki('GET', '/lib/exe/css.php?t=dokuwiki');
echo "css: $s {$h['content-type'][0]} ", (int) (strlen($b) > 1000), "\n";
// Debian links lib/tpl to /var/lib/dokuwiki/lib/tpl: folk refuses a symlink leading out of http.root
// (docs/CLASSIC.md), where nginx would follow it. The template's images are not served from this root.
[$s] = wiki('GET', '/lib/tpl/dokuwiki/images/logo.png');
echo "symlinked template image: $s\n";
folk_stop_server($srv);
?>
--EXPECT--
page: 200 1 session cookie: 1
login form: 200 1
wrong password: 403 ["Sorry, username or password was wrong."]
login: 302 /doku.php
logged in: 200 1 sectok: 1
wrong sectok: still logged in 1
logout: 302 1 logged out 1
image: 200 image/png 1
css: 200 text/css; charset=utf-8 1
symlinked template image: 403
