<?php

namespace Folk\Grpc;

/**
 * A gRPC handler's answer with response metadata: `$message` is what the
 * handler could return alone (a string, an object with serializeToString(),
 * or an iterable of those for a server stream); `$headers` are sent before
 * it and `$trailers` after it, with the status (name => string or list of
 * strings; a name ending in -bin takes raw bytes).
 */
final class Reply
{
    /**
     * @param array<string, string|list<string>> $headers
     * @param array<string, string|list<string>> $trailers
     */
    public function __construct(
        public mixed $message,
        public array $headers = [],
        public array $trailers = [],
    ) {
    }
}
