--TEST--
folk and php-fpm + nginx give the same status for http_response_code(), an HTTP/1.1 status line header, and Location (302 on GET and POST, 201 and an explicit 301 kept)
--SKIPIF--
<?php require __DIR__ . "/../../fixtures/fpm_reference.php"; if ($why = fpm_reference_unavailable()) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/fpm_reference.php';
$both = fpm_and_folk([
    'loc.php' => '<?php header("Location: /elsewhere"); echo "moved";',
    'loc201.php' => '<?php http_response_code(201); header("Location: /new"); echo http_response_code();',
    'loc301.php' => '<?php header("Location: /p", true, 301);',
    'teapot.php' => '<?php http_response_code(418); echo http_response_code();',
    'custom.php' => '<?php http_response_code(299); echo "c";',
    'line.php' => '<?php header("HTTP/1.1 299 Custom Thing"); echo "c";',
]);
foreach (['/loc.php', '/loc201.php', '/loc301.php', '/teapot.php', '/custom.php', '/line.php'] as $path) fpm_compare($path, fpm_and_folk_request($both, 'GET', $path));
fpm_compare('POST /loc.php', fpm_and_folk_request($both, 'POST', '/loc.php', ['content-type' => 'application/x-www-form-urlencoded'], 'a=1'));
fpm_and_folk_stop($both);
?>
--EXPECT--
same: /loc.php
same: /loc201.php
same: /loc301.php
same: /teapot.php
same: /custom.php
same: /line.php
same: POST /loc.php
