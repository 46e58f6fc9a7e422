<?php
// RoadRunner's Spiral\RoadRunner\Worker on folk: a RoadRunner worker script runs
// unchanged in folk's worker mode. There is no relay to RoadRunner's server:
// the HTTP workers (Http\PSR7Worker, Http\HttpWorker) take each request from
// Folk\Worker::waitRequest(), which opens it as folk's own request state
// (superglobals, php://input, headers, output, session), and answer it with
// Folk\Worker::endRequest(). error() answers it with a bare 500 and the worker
// serves on; stop() makes the next wait return null, so the script ends and
// folk replaces the worker. Raw payloads (waitPayload(), respond()) belong to
// RoadRunner's other plugins and are refused with an exception saying so.

namespace Spiral\RoadRunner;

use Spiral\RoadRunner\Exception\RoadRunnerException;

class Worker implements WorkerInterface
{
    private bool $stopping = false;

    /** As RoadRunner's: the arguments (side-effect interception, a logger) have no use under folk. */
    public static function create(bool $interceptSideEffects = true, mixed $logger = null): self
    {
        return new self();
    }

    public function waitPayload(): ?Payload
    {
        throw new RoadRunnerException(self::unsupported('waitPayload'));
    }

    public function respond(Payload $payload): void
    {
        throw new RoadRunnerException(self::unsupported('respond'));
    }

    /**
     * Answers the open request with a bare 500 (its output and headers discarded) and logs
     * `$error` in folk's log, as RoadRunner logs it; the worker serves the next request.
     */
    public function error(string $error): void
    {
        \Folk\Worker::failRequest($error);
    }

    /** The next waitRequest() answers the open request (if any) and returns null. */
    public function stop(): void
    {
        $this->stopping = true;
    }

    /**
     * @internal for Http\HttpWorker: answers the open request and opens the next one;
     * false when the worker must stop (stop() was called, or folk says so).
     */
    public function nextRequest(): bool
    {
        if ($this->stopping) {
            \Folk\Worker::endRequest();
            return false;
        }
        return \Folk\Worker::waitRequest();
    }

    private static function unsupported(string $method): string
    {
        return "Spiral\\RoadRunner\\Worker::$method() is not supported under folk: folk serves HTTP requests"
            . ' to RoadRunner worker scripts through Spiral\RoadRunner\Http\PSR7Worker or HttpWorker,'
            . ' and has no raw payloads (jobs run with Folk\Worker::waitRequest($jobs) or Folk\Worker::serve())';
    }
}
