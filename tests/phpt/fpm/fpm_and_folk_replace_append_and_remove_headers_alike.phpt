--TEST--
folk and php-fpm + nginx answer header() replace and append, header_remove() of one or all, a removed Content-Type (the default one and one the script set) and a Status: header alike
--SKIPIF--
<?php require __DIR__ . "/../../fixtures/fpm_reference.php"; if ($why = fpm_reference_unavailable()) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/fpm_reference.php';
$both = fpm_and_folk([
    'set.php' => '<?php header("X-One: a"); header("X-One: b"); header("X-Two: 1", false); header("X-Two: 2", false); header("X-Gone: 1"); header_remove("X-Gone");'
        . ' header("Content-Type: text/plain"); header("x-case: lower"); header("X-CASE: upper", false); echo implode("|", headers_list());',
    'all.php' => '<?php header("X-A: 1"); header_remove(); header("X-B: 2"); header_remove("Content-Type"); echo implode("|", headers_list());',
    'status.php' => '<?php header("Status: 404 Not Here"); echo "s";',
    // Set, then removed: PHP sends no Content-Type at all (not even its default).
    'csv.php' => '<?php header("Content-Type: text/csv"); header_remove("Content-Type"); echo "a,b";',
]);
// headers_list() shows X-Powered-By with the PHP version: folk's build and Debian's differ in the patch level.
$version = ['/PHP\/8\.2\.\d+/' => 'PHP/8.2.x'];
foreach (['/set.php', '/all.php', '/status.php', '/csv.php'] as $path) fpm_compare($path, fpm_and_folk_request($both, 'GET', $path), $version);
fpm_and_folk_stop($both);
?>
--EXPECT--
same: /set.php
same: /all.php
same: /status.php
same: /csv.php
