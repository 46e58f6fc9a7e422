<?php
// RoadRunner's raw payload (a body and a header), for WorkerInterface's signatures;
// folk serves HTTP requests to RoadRunner scripts, not raw payloads.

namespace Spiral\RoadRunner;

class Payload
{
    public readonly string $body;
    public readonly string $header;

    public function __construct(?string $body, ?string $header = null, public readonly bool $eos = true)
    {
        $this->body = $body ?? '';
        $this->header = $header ?? '';
    }
}
