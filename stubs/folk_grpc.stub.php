<?php

// Folk\Grpc: the classes a gRPC handler uses (see README "gRPC services"). They are plain PHP
// classes folk declares in every worker script before it runs (php/Grpc/), not extension
// classes: one extending \Exception could not be constructed from PHP.

namespace Folk\Grpc {
    /**
     * The gRPC status codes (grpc/grpc doc/statuscodes.md), for Folk\Grpc\Exception.
     */
    final class Status
    {
        public const OK = 0;
        public const CANCELLED = 1;
        public const UNKNOWN = 2;
        public const INVALID_ARGUMENT = 3;
        public const DEADLINE_EXCEEDED = 4;
        public const NOT_FOUND = 5;
        public const ALREADY_EXISTS = 6;
        public const PERMISSION_DENIED = 7;
        public const RESOURCE_EXHAUSTED = 8;
        public const FAILED_PRECONDITION = 9;
        public const ABORTED = 10;
        public const OUT_OF_RANGE = 11;
        public const UNIMPLEMENTED = 12;
        public const INTERNAL = 13;
        public const UNAVAILABLE = 14;
        public const DATA_LOSS = 15;
        public const UNAUTHENTICATED = 16;
    }

    /**
     * Thrown by a gRPC handler: the call ends with this status code and message
     * (any other Throwable ends it with UNKNOWN and a generic message).
     */
    class Exception extends \RuntimeException
    {
        public function __construct(string $message = '', int $code = Status::UNKNOWN, ?\Throwable $previous = null)
        {
            if ($code < 1 || $code > 16) {
                throw new \ValueError("Folk\\Grpc\\Exception: status code $code is not an error code (1 to 16, see Folk\\Grpc\\Status)");
            }
            parent::__construct($message, $code, $previous);
        }
    }

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

}
