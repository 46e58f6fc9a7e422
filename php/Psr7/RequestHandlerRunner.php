<?php
// A PSR-15 application (a Psr\Http\Server\RequestHandlerInterface: Slim 4,
// Mezzio, a middleware pipeline) served in folk's worker mode.

namespace Folk\Psr7;

use Psr\Http\Server\RequestHandlerInterface;

final class RequestHandlerRunner
{
    public function __construct(private Worker $worker, private RequestHandlerInterface $handler)
    {
    }

    /** Serves until the worker must stop, or after `$maxRequests` (0: no limit). */
    public function run(int $maxRequests = 0): void
    {
        $this->worker->run($this->handler->handle(...), $maxRequests);
    }
}
