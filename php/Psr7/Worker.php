<?php
// PSR-7 worker mode: each request Folk\Worker::handleRequest() opens is handed
// to the application as a ServerRequestInterface (built with the PSR-17
// factories given), and the ResponseInterface it returns is sent.
//
// handleRequest() takes a callback, so the request/response pair lives inside
// it: run() loops over requests and calls the handler for each; handle() serves
// one; waitRequest()/respond() are the RoadRunner-style pair, valid inside the
// handler that handle()/run() calls.
// A Fiber cannot be used to give them a free-standing loop: a handleRequest()
// frame suspended in a Fiber is not a state folk's worker can leave.

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
            }
        });
    }

    /**
     * The open request as PSR-7 (the one the handler of handle()/run() got);
     * null outside that handler, when no request is open.
     */
    public function waitRequest(): ?ServerRequestInterface
    {
        return $this->current;
    }

    /** Sends `$response` as the open request's answer. */
    public function respond(ResponseInterface $response): void
    {
        if ($this->current === null) {
            throw new \LogicException('Folk\Psr7\Worker::respond() is called with no request open: call it inside the handler that handle() or run() calls');
        }
        if ($this->responded) {
            throw new \LogicException('Folk\Psr7\Worker::respond() was already called for this request');
        }
        $this->responded = true;
        $this->emitter->emit($response);
    }
}
