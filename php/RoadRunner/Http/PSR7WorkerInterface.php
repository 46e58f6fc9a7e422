<?php
// RoadRunner's PSR7WorkerInterface: requests and answers as PSR-7 messages.

namespace Spiral\RoadRunner\Http;

use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Spiral\RoadRunner\WorkerAwareInterface;

interface PSR7WorkerInterface extends WorkerAwareInterface
{
    /** The next request; null when the worker must stop. */
    public function waitRequest(): ?ServerRequestInterface;

    /** Answers the open request. */
    public function respond(ResponseInterface $response): void;
}
