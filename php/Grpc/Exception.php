<?php

namespace Folk\Grpc;

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
