--TEST--
phpinfo() and phpcredits() print HTML in folk's classic and worker-mode requests, as under php-fpm (php-cli's plain-text flag is process-wide), while the main php-cli thread still prints text
--SKIPIF--
<?php require __DIR__ . "/../../fixtures/fpm_reference.php"; if ($why = fpm_reference_unavailable()) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/fpm_reference.php';
$files = ['info.php' => '<?php phpinfo(INFO_GENERAL);', 'credits.php' => '<?php phpcredits(CREDITS_GENERAL);'];
$modes = fpm_and_folk_modes($files, ['display_errors' => '1']);
foreach (['info.php', 'credits.php'] as $script) {
    foreach (['fpm', 'classic', 'worker'] as $mode) {
        [$status, , $body] = folk_http($modes[$mode], 'GET', "/$script");
        $html = str_starts_with(ltrim($body), '<!DOCTYPE html') || str_starts_with(ltrim($body), '<h1>') ? 'HTML' : 'text: ' . substr($body, 0, 60);
        echo "$script $mode: $status ", $html, str_contains($body, '<table>') ? ' with tables' : '', "\n";
    }
}
($modes['stop'])();
ob_start();
phpinfo(INFO_GENERAL);
$cli = ob_get_clean();
echo "php-cli: ", str_starts_with($cli, 'phpinfo()') ? 'text' : 'not text: ' . substr($cli, 0, 60), "\n";
?>
--EXPECT--
info.php fpm: 200 HTML with tables
info.php classic: 200 HTML with tables
info.php worker: 200 HTML with tables
credits.php fpm: 200 HTML with tables
credits.php classic: 200 HTML with tables
credits.php worker: 200 HTML with tables
php-cli: text
