<?php
// folk worker script for a Laravel (8+) application, used unchanged:
//
//     new Folk\Server(['worker' => '/path/to/folk/php/frameworks/laravel.php',
//         'http' => ['root' => '/srv/app/public'], 'server' => ['main_worker' => false]]);
//
// The application's base path is APP_BASE_PATH (default: the current
// directory). It boots once (bootstrap/app.php, the HTTP kernel's
// bootstrappers, its service providers); each request then runs in a sandbox
// of it, as Laravel Octane does (see Folk\Runtime\LaravelWorker).
// APP_MAX_REQUESTS (default 0: none) ends this worker after that many
// requests, so that folk starts a fresh one.

// Before Laravel's own shutdown handler: see LaravelWorker::guardShutdown().
require __DIR__ . '/../autoload.php';
Folk\Runtime\LaravelWorker::guardShutdown();

$basePath = rtrim((string) ($_SERVER['APP_BASE_PATH'] ?? $_ENV['APP_BASE_PATH'] ?? getenv('APP_BASE_PATH') ?: getcwd()), '/');
if (!is_file("$basePath/bootstrap/app.php")) {
    throw new RuntimeException("no Laravel application at APP_BASE_PATH=$basePath (bootstrap/app.php is missing); set APP_BASE_PATH to the application's directory");
}
$_ENV['APP_BASE_PATH'] ??= $basePath;
require "$basePath/vendor/autoload.php";
$app = require "$basePath/bootstrap/app.php";

$worker = new Folk\Runtime\LaravelWorker($app);
$worker->run((int) ($_SERVER['APP_MAX_REQUESTS'] ?? getenv('APP_MAX_REQUESTS') ?: 0));
