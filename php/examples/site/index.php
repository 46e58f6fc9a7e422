<?php
// The example site `make run` serves in classic mode: a plain PHP front
// controller, run fresh for every request as php-fpm would. Every path that
// names no file (see style.css and logo.svg, sent by folk without PHP) lands here.
declare(strict_types=1);

session_start();
$_SESSION['csrf'] ??= bin2hex(random_bytes(16));
$_SESSION['visits'] = ($_SESSION['visits'] ?? 0) + 1;

function h(string $s): string { return htmlspecialchars($s, ENT_QUOTES); }
function page(string $title, string $body): never
{
    $visits = (int) $_SESSION['visits'];
    echo <<<HTML
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>{$title} · folk example</title>
    <link rel="stylesheet" href="/style.css"></head>
    <body><header><img src="/logo.svg" alt="" width="40" height="40"><a href="/">folk example site</a>
    <nav><a href="/">Home</a> <a href="/guestbook">Guestbook</a> <a href="/upload">Upload</a> <a href="/about">About</a></nav></header>
    <main><h1>{$title}</h1>{$body}</main>
    <footer>You have seen {$visits} page(s) in this session · served by
    HTML;
    echo ' ', h(PHP_SAPI), ' on PHP ', PHP_VERSION, "</footer></body></html>\n";
    exit;
}
function csrf_ok(): bool { return hash_equals($_SESSION['csrf'], (string) ($_POST['csrf'] ?? '')); }

$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$csrf = h($_SESSION['csrf']);
switch ($path) {
    case '/':
        page('Hello', '<p>This is an ordinary PHP application: a front controller, a session, a form and an upload.
            folk runs <code>index.php</code> for each request, like php-fpm behind nginx, and sends the stylesheet and the logo itself.</p>
            <p>Request: <code>' . h($_SERVER['REQUEST_METHOD'] . ' ' . $_SERVER['REQUEST_URI']) . '</code> from <code>' . h($_SERVER['REMOTE_ADDR']) . '</code></p>');
    case '/guestbook':
        $_SESSION['entries'] ??= [];
        $note = '';
        if ($_SERVER['REQUEST_METHOD'] === 'POST') {
            if (!csrf_ok()) { http_response_code(403); page('Refused', '<p>The form token did not match. <a href="/guestbook">Try again</a>.</p>'); }
            $name = trim((string) ($_POST['name'] ?? ''));
            if ($name === '') { $note = '<p class="error">Please give a name.</p>'; }
            else { $_SESSION['entries'][] = [$name, date('H:i:s')]; header('Location: /guestbook'); exit; }
        }
        $list = implode('', array_map(fn ($e) => '<li>' . h($e[0]) . ' <small>at ' . h($e[1]) . '</small></li>', $_SESSION['entries']));
        page('Guestbook', $note . '<form method="post"><input type="hidden" name="csrf" value="' . $csrf . '">
            <label>Your name <input name="name" autofocus></label> <button>Sign</button></form>
            <ul>' . ($list ?: '<li>Nobody yet: be the first.</li>') . '</ul><p>(Kept in your session.)</p>');
    case '/upload':
        $result = '';
        if ($_SERVER['REQUEST_METHOD'] === 'POST') {
            $f = $_FILES['file'] ?? null;
            if (!csrf_ok()) { http_response_code(403); page('Refused', '<p>The form token did not match.</p>'); }
            if (!$f || $f['error'] !== UPLOAD_ERR_OK || !is_uploaded_file($f['tmp_name'])) {
                $result = '<p class="error">No file arrived (error ' . (int) ($f['error'] ?? -1) . ').</p>';
            } else {
                $result = '<p>Received <b>' . h($f['name']) . '</b>: ' . (int) $f['size'] . ' bytes, sha1 <code>'
                    . sha1_file($f['tmp_name']) . '</code>. (The temporary file is removed after this request.)</p>';
            }
        }
        page('Upload', $result . '<form method="post" enctype="multipart/form-data"><input type="hidden" name="csrf" value="' . $csrf . '">
            <input type="file" name="file"> <button>Upload</button></form>');
    case '/about':
        page('About', '<p>folk is a PHP application server shipped as a PHP extension written in Rust.</p>');
    default:
        http_response_code(404);
        page('Not found', '<p>No page at <code>' . h($path) . '</code>. <a href="/">Home</a>.</p>');
}
