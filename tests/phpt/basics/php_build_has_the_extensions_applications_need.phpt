--TEST--
folk's PHP build loads the extensions WordPress, Drupal, Laravel and Symfony expect, and gd reads JPEG, PNG, WebP and FreeType
--FILE--
<?php
$needed = ['mysqlnd', 'mysqli', 'pdo_mysql', 'pgsql', 'pdo_pgsql', 'gd', 'zip', 'exif', 'sodium', 'gmp',
           'calendar', 'gettext', 'readline', 'intl', 'mbstring', 'curl', 'openssl', 'pdo_sqlite', 'opcache'];
$missing = array_values(array_filter($needed, fn ($e) => !extension_loaded($e) && !extension_loaded("Zend $e")));
var_dump($missing);
$gd = gd_info();
var_dump($gd['JPEG Support'], $gd['PNG Support'], $gd['WebP Support'], $gd['FreeType Support']);
// Each one works, not only loads.
$img = imagecreatetruecolor(4, 4);
ob_start(); imagewebp($img); $webp = ob_get_clean();
var_dump(str_starts_with($webp, 'RIFF'));
var_dump(gmp_strval(gmp_pow(2, 100)));
var_dump(strlen(sodium_crypto_secretbox_keygen()) === SODIUM_CRYPTO_SECRETBOX_KEYBYTES);
var_dump(cal_days_in_month(CAL_GREGORIAN, 2, 2024));
var_dump(in_array('mysql', PDO::getAvailableDrivers()), in_array('pgsql', PDO::getAvailableDrivers()));
$zip = new ZipArchive();
$path = tempnam(sys_get_temp_dir(), 'folkzip');
var_dump($zip->open($path, ZipArchive::OVERWRITE) === true && $zip->addFromString('a.txt', 'hi') && $zip->close());
unlink($path);
var_dump(function_exists('_') && function_exists('readline') && function_exists('exif_read_data') && function_exists('mysqli_connect') && function_exists('pg_connect'));
?>
--EXPECT--
array(0) {
}
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
string(31) "1267650600228229401496703205376"
bool(true)
int(29)
bool(true)
bool(true)
bool(true)
bool(true)
