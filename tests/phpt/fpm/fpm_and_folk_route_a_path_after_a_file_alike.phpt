--TEST--
folk and php-fpm + nginx route a path that continues after a file alike: after a script it is PATH_INFO (a lone "/" too), after a non-PHP file the front controller runs, unless the path names a .php (404)
--SKIPIF--
<?php require __DIR__ . "/../../fixtures/fpm_reference.php"; if ($why = fpm_reference_unavailable()) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/fpm_reference.php';
$show = '<?php echo basename(__FILE__), " SCRIPT_NAME=", $_SERVER["SCRIPT_NAME"], " PATH_INFO=", var_export($_SERVER["PATH_INFO"] ?? null, true), " PHP_SELF=", $_SERVER["PHP_SELF"], " REQUEST_URI=", $_SERVER["REQUEST_URI"], "\n";';
$both = fpm_and_folk(['s.php' => $show, 'index.php' => $show, 'notes.txt' => "plain text\n"]);
foreach (['/s.php/', '/s.php//', '/s.php/.', '/s.php/a/', '/notes.txt/', '/notes.txt/more'] as $path) {
    $a = fpm_and_folk_request($both, 'GET', $path);
    fpm_compare($path, $a);
    echo '  ', trim($a['folk'][2]), "\n";
}
// Error pages are each server's own: only the status is compared.
foreach (['/notes.txt/x.php', '/notes.txt/x.php/y'] as $path) {
    $a = fpm_and_folk_request($both, 'GET', $path);
    echo "$path: fpm {$a['fpm'][0]}, folk {$a['folk'][0]}\n";
}
fpm_and_folk_stop($both);
?>
--EXPECT--
same: /s.php/
  s.php SCRIPT_NAME=/s.php PATH_INFO='/' PHP_SELF=/s.php/ REQUEST_URI=/s.php/
same: /s.php//
  s.php SCRIPT_NAME=/s.php PATH_INFO='/' PHP_SELF=/s.php/ REQUEST_URI=/s.php//
same: /s.php/.
  s.php SCRIPT_NAME=/s.php PATH_INFO='/' PHP_SELF=/s.php/ REQUEST_URI=/s.php/.
same: /s.php/a/
  s.php SCRIPT_NAME=/s.php PATH_INFO='/a/' PHP_SELF=/s.php/a/ REQUEST_URI=/s.php/a/
same: /notes.txt/
  index.php SCRIPT_NAME=/index.php PATH_INFO='' PHP_SELF=/index.php REQUEST_URI=/notes.txt/
same: /notes.txt/more
  index.php SCRIPT_NAME=/index.php PATH_INFO='' PHP_SELF=/index.php REQUEST_URI=/notes.txt/more
/notes.txt/x.php: fpm 404, folk 404
/notes.txt/x.php/y: fpm 404, folk 404
