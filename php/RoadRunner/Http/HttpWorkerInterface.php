<?php
// RoadRunner's HttpWorkerInterface: requests as Http\Request, answers as status, body, headers.

namespace Spiral\RoadRunner\Http;

use Spiral\RoadRunner\WorkerAwareInterface;

interface HttpWorkerInterface extends WorkerAwareInterface
{
    /** The next request; null when the worker must stop. */
    public function waitRequest(): ?Request;

    /**
     * Answers the open request.
     *
     * @param string|\Generator<mixed, scalar|\Stringable, mixed, scalar|\Stringable|null> $body a
     *        generator's chunks are sent as they come, its return value last
     * @param array<string, string|list<string>> $headers
     */
    public function respond(int $status, string|\Generator $body, array $headers = []): void;
}
