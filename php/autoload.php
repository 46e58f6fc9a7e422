<?php
// folk's PHP integrations (Folk\Psr7\*, Folk\Runtime\*), autoloaded PSR-4 from
// this directory: `require '/path/to/folk/php/autoload.php';` once, before use.
// Composer users can instead map "Folk\\Psr7\\": "php/Psr7/", "Folk\\Runtime\\": "php/Runtime/".
// The framework packages themselves (psr/http-message, symfony/runtime, ...) come
// from the application's own autoloader.

spl_autoload_register(static function (string $class): void {
    if (!str_starts_with($class, 'Folk\\')) {
        return;
    }
    $file = __DIR__ . '/' . str_replace('\\', '/', substr($class, 5)) . '.php';
    if (is_file($file)) {
        require $file;
    }
});
