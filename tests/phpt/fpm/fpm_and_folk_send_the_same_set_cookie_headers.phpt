--TEST--
folk and php-fpm + nginx send the same Set-Cookie headers for setcookie() (encoded value, every option, deletion, empty value, repeated name) and setrawcookie()
--SKIPIF--
<?php require __DIR__ . "/../../fixtures/fpm_reference.php"; if ($why = fpm_reference_unavailable()) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/fpm_reference.php';
$both = fpm_and_folk([
    'c.php' => '<?php setcookie("a", "b c;d"); setrawcookie("raw", "x%20y"); setcookie("old", "v", 2000000000, "/o", "example.test", true, true);'
        . ' setcookie("full", "v", ["expires" => 2000000000, "path" => "/p", "domain" => "example.test", "secure" => true, "httponly" => true, "samesite" => "Strict"]);'
        . ' setcookie("gone", "", 1); setcookie("empty", ""); setcookie("a", "second"); setrawcookie("lax", "1", ["samesite" => "Lax"]); echo "k";',
]);
// Max-Age is computed from the clock at the moment each server runs the script: a second may pass between the two.
fpm_compare('/c.php', fpm_and_folk_request($both, 'GET', '/c.php'), ['/Max-Age=\d+/' => 'Max-Age=N']);
fpm_and_folk_stop($both);
?>
--EXPECT--
same: /c.php
