--TEST--
Classic mode: output is buffered (output_buffering 4096, not the CLI's 0): header() after a small echo works, headers_sent() is false until the buffer fills, then header() warns
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic([
    'small.php' => '<?php echo "early "; header("X-After: yes"); echo ini_get("output_buffering"), " ", ob_get_level(), " ", var_export(headers_sent(), true), " ", ini_get("implicit_flush");',
    'big.php' => '<?php echo str_repeat("x", 5000); echo var_export(headers_sent(), true); header("X-Late: no");',
]);
[, $h, $b] = folk_http($srv[2], 'GET', '/small.php');
echo $b, " ", $h['x-after'][0], "\n";
[, $h, $b] = folk_http($srv[2], 'GET', '/big.php');
echo strlen($b) > 5000 ? 'long' : 'short', " ", str_contains($b, 'true') ? 'sent' : 'not sent', " ", str_contains($b, 'Cannot modify header information') ? 'warned' : 'silent', " ", isset($h['x-late']) ? 'late header' : 'no late header', "\n";
folk_stop_server($srv);
?>
--EXPECT--
early 4096 1 false 0 yes
long sent warned no late header
