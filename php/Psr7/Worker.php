<?php
// PSR-7 worker mode: each request folk opens is handed to the application as a
// ServerRequestInterface (built with the PSR-17 factories given), and the
// ResponseInterface it returns is sent.
//
// Two ways to loop, one per worker script:
// - run() and handle() pass a callback to Folk\Worker::handleRequest(), which
//   opens a request, calls it and answers the request when it returns;
// - waitRequest() and respond() are the RoadRunner-style pair for a loop of the
//   script's own (`while ($req = $worker->waitRequest()) { $worker->respond(...); }`):
//   waitRequest() opens the next request with Folk\Worker::waitRequest(), which
//   keeps it open after it returns, and respond() answers it
//   (Folk\Worker::endRequest()). A request left unanswered is answered with its
//   output so far by the next waitRequest() (or a 500 if the script dies first).
// Inside the handler of run()/handle(), waitRequest() is the handler's own
// request and respond() sends the answer early; the handler's return is then ignored.

namespace Folk\Psr7;

use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestFactoryInterface;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Http\Message\StreamFactoryInterface;
use Psr\Http\Message\UploadedFileFactoryInterface;

final class Worker
{
    private ServerRequestBuilder $builder;
    private ResponseEmitter $emitter;
    private ?ServerRequestInterface $current = null;
    private bool $responded = false;
    /** The current request is the handler's of handle()/run(), not one waitRequest() opened. */
    private bool $inHandler = false;

    /** One PSR-17 factory object (nyholm's Psr17Factory, guzzle's HttpFactory) may fill all three. */
    public function __construct(
        ServerRequestFactoryInterface $requests,
        StreamFactoryInterface $streams,
        UploadedFileFactoryInterface $uploads,
        int $chunkSize = 65536,
    ) {
        $this->builder = new ServerRequestBuilder($requests, $streams, $uploads);
        $this->emitter = new ResponseEmitter($chunkSize);
    }

    /**
     * Serves requests with `$handler(ServerRequestInterface): ResponseInterface`
     * until the worker must stop, or after `$maxRequests` (0: no limit).
     */
    public function run(callable $handler, int $maxRequests = 0): void
    {
        $served = 0;
        while ($this->handle($handler)) {
            gc_collect_cycles();
            if ($maxRequests > 0 && ++$served >= $maxRequests) {
                return;
            }
        }
    }

    /** Serves one request; false: the worker must stop (end the script). */
    public function handle(callable $handler): bool
    {
        return \Folk\Worker::handleRequest(function () use ($handler): void {
            $this->responded = false;
            $this->inHandler = true;
            $this->current = $request = $this->builder->fromGlobals();
            try {
                $response = $handler($request);
                if (!$response instanceof ResponseInterface) {
                    throw new \UnexpectedValueException(sprintf('the PSR-7 handler returned %s, not a Psr\Http\Message\ResponseInterface', get_debug_type($response)));
                }
                if (!$this->responded) {
                    $this->respond($response);
                }
            } finally {
                $this->current = null;
                $this->responded = false;
                $this->inHandler = false;
            }
        });
    }

    /**
     * Inside the handler of handle()/run(): that handler's request. Elsewhere: answers the
     * request the previous call opened (if respond() did not), waits for the next one and
     * opens it; null when the worker must stop (end the script then).
     */
    public function waitRequest(): ?ServerRequestInterface
    {
        if ($this->inHandler) {
            return $this->current;
        }
        $this->current = null;
        $this->responded = false;
        if (!\Folk\Worker::waitRequest()) {
            return null;
        }
        return $this->current = $this->builder->fromGlobals();
    }

    /** Sends `$response` as the open request's answer (once per request). */
    public function respond(ResponseInterface $response): void
    {
        if ($this->current === null) {
            throw new \LogicException('Folk\Psr7\Worker::respond() is called with no request open: call it after waitRequest() returned a request, or inside the handler that handle() or run() calls');
        }
        if ($this->responded) {
            throw new \LogicException('Folk\Psr7\Worker::respond() was already called for this request');
        }
        $this->responded = true;
        $this->emitter->emit($response);
        if (!$this->inHandler) {
            $this->current = null;
            \Folk\Worker::endRequest();
        }
    }
}
