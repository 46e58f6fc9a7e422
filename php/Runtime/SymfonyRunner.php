<?php
// Serves a booted Symfony HttpKernel with Folk\Worker::handleRequest(): one
// Request from each request's superglobals, the kernel's Response sent, then
// terminate() (after fastcgi_finish_request(), which Response::send() calls,
// so the client already has its answer). The boot-time $_SERVER (the values
// Dotenv loaded from .env) is added under each request's own variables.

namespace Folk\Runtime;

use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpKernel\HttpKernelInterface;
use Symfony\Component\HttpKernel\TerminableInterface;
use Symfony\Component\Runtime\RunnerInterface;

class SymfonyRunner implements RunnerInterface
{
    public function __construct(private HttpKernelInterface $kernel, private int $maxRequests = 0)
    {
    }

    public function run(): int
    {
        // A client that leaves must not abort the worker's script mid-request.
        ignore_user_abort(true);
        self::disableShutdownFatalErrorHandler();
        // Request headers of the boot are not the requests' (there are none, but be sure).
        $bootServer = array_filter($_SERVER, static fn ($key) => !str_starts_with((string) $key, 'HTTP_'), ARRAY_FILTER_USE_KEY);
        $bootServer['APP_RUNTIME_MODE'] = 'web=1&worker=1';
        $kernel = $this->kernel;
        $handler = static function () use ($kernel, $bootServer): void {
            $_SERVER += $bootServer;
            $request = Request::createFromGlobals();
            $response = $kernel->handle($request);
            $response->send();
            if ($kernel instanceof TerminableInterface) {
                $kernel->terminate($request, $response);
            }
        };
        $served = 0;
        while (\Folk\Worker::handleRequest($handler)) {
            gc_collect_cycles();
            if ($this->maxRequests > 0 && ++$served >= $this->maxRequests) {
                break;
            }
        }
        return 0;
    }

    /**
     * A fatal error in worker mode is folk's to answer (500, the worker is
     * replaced); Symfony's ErrorHandler would render it again from a shutdown
     * function, when no request is open any more. Its own switch for that is
     * a null $reservedMemory (what it sets itself once it handled one).
     */
    private static function disableShutdownFatalErrorHandler(): void
    {
        $class = 'Symfony\\Component\\ErrorHandler\\ErrorHandler';
        if (class_exists($class, false) && property_exists($class, 'reservedMemory')) {
            (\Closure::bind(static function (): void {
                static::$reservedMemory = null;
            }, null, $class))();
        }
    }
}
