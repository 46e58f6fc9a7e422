<?php
// symfony/runtime for folk's worker mode: `APP_RUNTIME=Folk\Runtime\SymfonyRuntime`
// makes a Symfony app's unchanged public/index.php (the one requiring
// vendor/autoload_runtime.php) a folk worker script. Same contract as
// runtime/frankenphp-symfony: in a folk worker an HttpKernelInterface app gets
// SymfonyRunner (boot once, serve many); anywhere else (classic mode, php-fpm,
// the console) everything is Symfony's own runtime.
//
// Options (APP_RUNTIME_OPTIONS or the composer.json "extra.runtime" block):
//   max_requests  requests one worker serves before its script ends and folk
//                 starts a fresh one; also from the APP_MAX_REQUESTS env var;
//                 0 (the default) leaves recycling to folk (workers.max_jobs).

namespace Folk\Runtime;

use Symfony\Component\HttpKernel\HttpKernelInterface;
use Symfony\Component\Runtime\RunnerInterface;

class SymfonyRuntime extends \Symfony\Component\Runtime\SymfonyRuntime
{
    public function __construct(array $options = [])
    {
        $options['max_requests'] = (int) ($options['max_requests'] ?? $_SERVER['APP_MAX_REQUESTS'] ?? $_ENV['APP_MAX_REQUESTS'] ?? 0);
        parent::__construct($options);
    }

    public function getRunner(?object $application): RunnerInterface
    {
        if ($application instanceof HttpKernelInterface && self::inFolkWorker()) {
            return new SymfonyRunner($application, $this->options['max_requests']);
        }
        return parent::getRunner($application);
    }

    /** In a folk worker script (not classic mode): requests come through handleRequest(). */
    public static function inFolkWorker(): bool
    {
        return class_exists(\Folk\Worker::class, false) && \Folk\Worker::isWorker();
    }
}
