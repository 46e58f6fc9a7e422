<?php

$app = new Illuminate\Foundation\Application(dirname(__DIR__));

// The benchmark gives each run its own storage (APP_STORAGE, a temp dir) and
// puts the manifests Laravel writes to bootstrap/cache/ there too (APP_*_CACHE).
if ($storage = $_SERVER['APP_STORAGE'] ?? getenv('APP_STORAGE')) {
    is_dir("$storage/framework/cache/data") || mkdir("$storage/framework/cache/data", 0777, true);
    $app->useStoragePath($storage);
}

$app->singleton(Illuminate\Contracts\Console\Kernel::class, App\Console\Kernel::class);
$app->singleton(Illuminate\Contracts\Debug\ExceptionHandler::class, App\Exceptions\Handler::class);

return $app;
