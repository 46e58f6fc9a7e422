--TEST--
folk and php-fpm + nginx answer exit() mid-output alike: the output so far, exit's string, open buffers and shutdown functions' output, headers set before the buffer filled
--SKIPIF--
<?php require __DIR__ . "/../../fixtures/fpm_reference.php"; if ($why = fpm_reference_unavailable()) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/fpm_reference.php';
$both = fpm_and_folk([
    'string.php' => '<?php echo "before "; header("X-Late: 1"); exit("bye"); echo "never";',
    'buffered.php' => '<?php register_shutdown_function(function () { echo " shutdown"; }); ob_start(); echo "buffered"; exit(3);',
    'full.php' => '<?php echo str_repeat("a", 5000); header("X-Too-Late: 1"); echo headers_sent() ? " sent" : " not sent"; exit;',
    'die.php' => '<?php http_response_code(403); die("denied");',
]);
foreach (['/string.php', '/buffered.php', '/full.php', '/die.php'] as $path) fpm_compare($path, fpm_and_folk_request($both, 'GET', $path));
fpm_and_folk_stop($both);
?>
--EXPECT--
same: /string.php
same: /buffered.php
same: /full.php
same: /die.php
