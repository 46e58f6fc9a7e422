<?php
// folk's PHP integrations (Folk\Psr7\*, Folk\Runtime\*) and RoadRunner's worker API
// (Spiral\RoadRunner\*, in RoadRunner/), autoloaded PSR-4 from this directory:
// `require '/path/to/folk/php/autoload.php';` once, before use. Composer users can
// instead map "Folk\\Psr7\\": "php/Psr7/", "Folk\\Runtime\\": "php/Runtime/",
// "Spiral\\RoadRunner\\": "php/RoadRunner/". (With http.roadrunner_compat, folk
// defines the RoadRunner classes itself before the worker script runs.)
// The framework packages themselves (psr/http-message, symfony/runtime, ...) come
// from the application's own autoloader.

spl_autoload_register(static function (string $class): void {
    foreach (['Folk\\' => '', 'Spiral\\RoadRunner\\' => 'RoadRunner/'] as $prefix => $dir) {
        if (str_starts_with($class, $prefix)) {
            $file = __DIR__ . '/' . $dir . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
            if (is_file($file)) {
                require $file;
            }
            return;
        }
    }
});
