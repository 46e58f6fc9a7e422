--TEST--
folk sends a static file with the Content-Type nginx sends (nginx's default `charset off`: text/plain and text/css with no charset parameter)
--SKIPIF--
<?php require __DIR__ . "/../../fixtures/fpm_reference.php"; if ($why = fpm_reference_unavailable()) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/fpm_reference.php';
// Extensions both type tables agree on (README lists where they do not, e.g. `.js`).
$files = ['notes.txt' => "plain\n", 'site.css' => 'a{}', 'page.html' => '<p>hi</p>', 'data.json' => '{}', 'logo.svg' => '<svg/>'];
$both = fpm_and_folk($files + ['index.php' => '<?php echo "front";']);
foreach (array_keys($files) as $name) {
    $a = fpm_and_folk_request($both, 'GET', "/$name");
    $folk = $a['folk'][1]['content-type'][0] ?? 'none';
    $fpm = $a['fpm'][1]['content-type'][0] ?? 'none';
    echo $folk === $fpm ? "same" : "DIFFERENT (nginx $fpm)", ": /$name $folk\n";
}
fpm_and_folk_stop($both);
?>
--EXPECT--
same: /notes.txt text/plain
same: /site.css text/css
same: /page.html text/html
same: /data.json application/json
same: /logo.svg image/svg+xml
