--TEST--
Classic mode: http.output_buffering sets PHP's output_buffering per request; 0 sends output at once, so a header() after an echo is refused as under php-fpm with output_buffering=0
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$script = ['s.php' => '<?php echo ini_get("output_buffering"), " ", ob_get_level(), " "; header("X-After: yes"); echo "end";'];
foreach ([0, '8K'] as $ob) {
    $srv = folk_classic($script, ['http' => ['output_buffering' => $ob]]);
    [$s, $h, $b] = folk_http($srv[2], 'GET', '/s.php');
    echo $s, " ", preg_replace('/\s+/', ' ', strip_tags(str_replace('Cannot modify header information', 'WARNED', $b))), " ", isset($h['x-after']) ? 'header sent' : 'no header', "\n";
    folk_stop_server($srv);
}
?>
--EXPECTF--
200 0 0 %sWARNED%send no header
200 8192 1 end header sent
