<?php
/**
 * Stubs of the FrankenPHP worker API that folk defines with `http.frankenphp_compat = true`,
 * in each worker thread of a Folk\Server in worker mode only (they are plain PHP functions
 * defined before the worker script runs, not part of the extension). That thread's boot-time
 * $_SERVER and every request's $_SERVER also carry FRANKENPHP_WORKER = "1".
 */

namespace {
    /** Alias of Folk\Worker::handleRequest(). */
    function frankenphp_handle_request(callable $callback): bool {}

    /** Alias of fastcgi_finish_request(). */
    function frankenphp_finish_request(): bool {}
}
