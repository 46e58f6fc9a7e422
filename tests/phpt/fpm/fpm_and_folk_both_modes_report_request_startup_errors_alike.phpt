--TEST--
A POST over post_max_size: php-fpm, folk's classic mode and folk's worker mode give the script the same empty $_POST, the same "PHP Request Startup" warning (shown only with display_startup_errors, "in Unknown on line 0") and the same headers (X-Powered-By kept when nothing was shown, no "headers already sent" warning)
--SKIPIF--
<?php require __DIR__ . "/../../fixtures/fpm_reference.php"; if ($why = fpm_reference_unavailable()) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/fpm_reference.php';
$files = ['p.php' => '<?php echo "post: ", json_encode($_POST), ", headers sent: ", json_encode(headers_sent()), "\n";'];
foreach (['1', '0'] as $startup) {
    $ini = ['post_max_size' => '1K', 'display_errors' => '1', 'display_startup_errors' => $startup, 'html_errors' => '0', 'output_buffering' => '4096', 'expose_php' => '1'];
    $modes = fpm_and_folk_modes($files, $ini);
    $answers = [];
    foreach (['fpm', 'classic', 'worker'] as $mode) {
        $answers[$mode] = folk_http($modes[$mode], 'POST', '/p.php', ['content-type' => 'application/x-www-form-urlencoded'], str_repeat('a', 2050));
    }
    echo "display_startup_errors=$startup\n";
    fpm_compare('classic', ['folk' => $answers['classic'], 'fpm' => $answers['fpm']]);
    fpm_compare('worker', ['folk' => $answers['worker'], 'fpm' => $answers['fpm']]);
    echo fpm_normalise($answers['fpm']);
    ($modes['stop'])();
}
?>
--EXPECTF--
display_startup_errors=1
same: classic
same: worker
status 200
content-type: text/html; charset=UTF-8


Warning: PHP Request Startup: POST Content-Length of 2050 bytes exceeds the limit of 1024 bytes in Unknown on line 0
post: [], headers sent: true

display_startup_errors=0
same: classic
same: worker
status 200
content-type: text/html; charset=UTF-8
x-powered-by: PHP/8.2.x

post: [], headers sent: false
