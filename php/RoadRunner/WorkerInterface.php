<?php
// RoadRunner's worker interface (spiral/roadrunner-worker), as folk provides it:
// worker scripts and libraries written for RoadRunner type-hint against it.

namespace Spiral\RoadRunner;

interface WorkerInterface
{
    /** The next raw payload; null when the worker must stop. */
    public function waitPayload(): ?Payload;

    /** Answers the current payload. */
    public function respond(Payload $payload): void;

    /** Answers the current request or payload as failed; the worker serves on. */
    public function error(string $error): void;

    /** The worker stops: the next wait returns null, and the script should end. */
    public function stop(): void;
}
