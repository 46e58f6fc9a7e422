--TEST--
folk and php-fpm + nginx fill $_POST and $_FILES alike for a multipart upload (single, array-named, over MAX_FILE_SIZE, empty field), with is_uploaded_file() true and an empty php://input
--SKIPIF--
<?php require __DIR__ . "/../../fixtures/fpm_reference.php"; if ($why = fpm_reference_unavailable()) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/fpm_reference.php';
$both = fpm_and_folk(['up.php' => '<?php
function seen($t) { return is_array($t) ? array_map("seen", $t) : ($t === "" ? "" : (is_uploaded_file($t) ? "uploaded: " . file_get_contents($t) : "not uploaded")); }
$files = $_FILES;
foreach ($files as &$f) $f["tmp_name"] = seen($f["tmp_name"]);
echo json_encode([$_POST, $files, file_get_contents("php://input"), is_uploaded_file("/etc/passwd")], JSON_PRETTY_PRINT);']);
[$body, $headers] = folk_multipart(['title' => 'hello', 'MAX_FILE_SIZE' => '100'], [
    'doc' => ['a.txt', 'text/plain', 'DOCUMENT'], 'arr[]' => ['b.bin', 'application/octet-stream', 'KEPT'],
    'big' => ['big.txt', 'text/plain', str_repeat('x', 200)], 'none' => ['', 'application/octet-stream', ''],
]);
// tmp_name is a random path on each side: the script shows whether it is an uploaded file and its contents instead.
fpm_compare('POST /up.php', fpm_and_folk_request($both, 'POST', '/up.php', $headers, $body));
fpm_and_folk_stop($both);
?>
--EXPECT--
same: POST /up.php
