--TEST--
folk and php-fpm + nginx give the same php://input, read twice, for JSON, urlencoded and PUT bodies, with the same CONTENT_* and HTTP_CONTENT_* variables
--SKIPIF--
<?php require __DIR__ . "/../../fixtures/fpm_reference.php"; if ($why = fpm_reference_unavailable()) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/fpm_reference.php';
$both = fpm_and_folk(['i.php' => '<?php echo json_encode([file_get_contents("php://input"), file_get_contents("php://input"), $_POST,'
    . ' $_SERVER["CONTENT_TYPE"], $_SERVER["CONTENT_LENGTH"], $_SERVER["HTTP_CONTENT_TYPE"] ?? null, $_SERVER["HTTP_CONTENT_LENGTH"] ?? null]);']);
fpm_compare('POST json', fpm_and_folk_request($both, 'POST', '/i.php', ['content-type' => 'application/json'], '{"a":1}'));
fpm_compare('POST form', fpm_and_folk_request($both, 'POST', '/i.php', ['content-type' => 'application/x-www-form-urlencoded'], 'a=1&b[]=2'));
fpm_compare('PUT text', fpm_and_folk_request($both, 'PUT', '/i.php', ['content-type' => 'text/plain'], 'hello'));
fpm_and_folk_stop($both);
?>
--EXPECT--
same: POST json
same: POST form
same: PUT text
