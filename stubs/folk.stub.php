<?php
/**
 * Stubs for the folk extension, for IDEs and static analysers.
 * Keep in step with src/api/ (a phpt test checks every class and method here exists).
 */

namespace {
    /** The folk version (the extension's crate version), e.g. "0.1.0". */
    function folk_version(): string {}

    /**
     * In a classic-mode request (a script folk runs per request, as php-fpm): sends the
     * response now; the script keeps running and its later output is dropped.
     * False anywhere else (php-cli, Folk\Pool workers) or when called twice.
     */
    function fastcgi_finish_request(): bool {}

    /**
     * In a classic-mode request: its headers, name => value, names in Title-Case
     * ("X-Foo"), Content-Type and Content-Length included, as php-fpm gives them.
     * An empty array anywhere else.
     *
     * @return array<string, string>
     */
    function getallheaders(): array {}

    /** Alias of getallheaders(). @return array<string, string> */
    function apache_request_headers(): array {}
}

namespace Folk {
    /**
     * The worker side. A worker script boots the application once, then calls serve().
     *
     *     // worker.php
     *     $app = require 'bootstrap.php';
     *     Folk\Worker::serve(fn (string $method, mixed $payload) => $app->handle($method, $payload));
     */
    final class Worker
    {
        /** Not instantiable: `new Folk\Worker` throws. */
        public function __construct() {}

        /**
         * Serves jobs until the worker is told to stop (recycle, reload, shutdown), then returns.
         * The handler receives (string $method, mixed $payload) and returns the result.
         * A thrown exception fails that job only (the caller gets ApplicationException);
         * a fatal error, exit() or memory exhaustion fails that job and the worker is replaced.
         *
         * @param callable(string, mixed): mixed $handler
         * @throws Exception\FolkException when called outside a folk worker, or twice
         */
        public static function serve(callable $handler): void {}

        /** Whether the current code runs inside a folk worker. */
        public static function isWorker(): bool {}
    }

    /**
     * A pool of long-lived PHP workers on threads, each running $workerScript.
     *
     * Options (nested arrays or dotted keys): the pool keys of README.md's Options table, which
     * gives each key's default and accepted range (`php -i` lists them too), e.g.
     * ['workers' => ['count' => 4, 'exec_timeout' => '5s'], 'queue' => ['size' => 1024]].
     * Durations are "500ms", "30s", "1h", "1d" or seconds, at most a year; sizes "128M" or bytes.
     * Soft limits (max_jobs, ttl, idle_ttl, max_memory) act between jobs, never during one.
     */
    final class Pool
    {
        /**
         * Starts the workers and waits until each booted or failed to (bounded by boot_timeout).
         * @param array<string, mixed> $options
         * @throws Exception\ConfigException naming the key of an unknown option, or of a value
         *         that is invalid or outside the key's accepted range (never clamped)
         */
        public function __construct(string $workerScript, array $options = []) {}

        /**
         * Runs a job and returns its result (blocking). Payload and result are copied between
         * threads: null, bool, int, float, string, arrays, stdClass (arrives as an array) and
         * JsonSerializable objects; anything else throws FolkException naming where it was.
         * @throws Exception\BusyException|Exception\TimeoutException|Exception\WorkerDiedException|Exception\ApplicationException|Exception\FolkException
         */
        public function call(string $method, mixed $payload = null): mixed {}

        /**
         * Queues a job and returns at once.
         * @throws Exception\BusyException when the queue is full
         */
        public function submit(string $method, mixed $payload = null): Future {}

        /** Replaces every worker after its current job (new code is loaded); no job fails. */
        public function reload(): void {}

        /**
         * Figures: ['workers' => [['id', 'state', 'jobs', 'jobs_total', 'age', 'memory', 'restarts',
         * 'generation', 'last_error'], ...], 'queue_depth', 'healthy', 'health_reason', 'generation',
         * 'jobs' => ['submitted', 'ok', 'application_errors', 'worker_died', 'timeouts', 'busy'],
         * 'boot_failures', 'recycles' => [reason => count]].
         * @return array<string, mixed>
         */
        public function stats(): array {}

        /** Lets queued and running jobs finish (up to server.shutdown_timeout), then stops and joins every worker. */
        public function close(): void {}
    }

    /**
     * An application server: long-lived PHP workers behind the built-in plugins (HTTP, metrics).
     *
     * Configuration comes from three sources, in increasing precedence: `folk.*` INI directives
     * (`folk.workers.count=8`), the $options array, and `FOLK_*` environment variables
     * (`FOLK_WORKERS_COUNT=8`, `FOLK_HTTP_LISTEN=127.0.0.1:9000`; `FOLK_LOG` sets log.level).
     * Keys: every Pool option plus the server keys (`server.*`, `http.*`, `metrics.listen`,
     * `log.level`) of README.md's Options table; `worker` is required.
     */
    final class Server
    {
        /**
         * @param array<string, mixed> $options
         * @throws Exception\ConfigException naming the key (or INI directive, or environment variable)
         *         of an unknown option or of a value that is invalid or out of range
         */
        public function __construct(array $options = []) {}

        /**
         * Serves until SIGTERM or SIGINT: then stops accepting, lets in-flight requests finish
         * (up to server.shutdown_timeout), shuts the plugins down in reverse order and returns.
         * SIGHUP reloads the workers, and under TLS re-reads http.tls.cert/key for new connections.
         * The calling (main) thread runs the worker script too, as a worker that is never recycled
         * (after a reload it stops taking jobs). A bad TLS certificate or key fails here, naming the file.
         * @throws Exception\FolkException naming the plugin that failed to boot
         */
        public function run(): void {}
    }

    /** The answer of a job queued with Pool::submit(). */
    final class Future
    {
        /** Only Pool::submit() creates futures: `new Folk\Future` throws. */
        public function __construct() {}

        /**
         * Waits (at most $timeout seconds if given) and returns the result, or throws the job's exception.
         * @param ?float $timeout seconds, from 0 to 31536000 (a year); null waits without limit
         * @throws Exception\TimeoutException when $timeout passes first (the job keeps running)
         * @throws Exception\InvalidArgumentException when $timeout is NAN, INF, negative or beyond a year
         */
        public function wait(?float $timeout = null): mixed {}

        /** Whether the answer is there (wait() would not block). */
        public function done(): bool {}
    }
}

namespace Folk\Http {
    /**
     * What an HTTP handler may return: besides a string (200, text/html) or an array
     * ['status' => int, 'headers' => [name => string|list], 'body' => string].
     */
    final class Response implements \JsonSerializable
    {
        /**
         * @param int $status from 100 to 999
         * @param array<string, string|list<string>> $headers
         * @throws \Folk\Exception\InvalidArgumentException when $status is outside 100 to 999
         */
        public function __construct(string $body = '', int $status = 200, array $headers = []) {}
        public function getStatus(): int {}
        /** @return array<string, string|list<string>> */
        public function getHeaders(): array {}
        public function getBody(): string {}
        /** @return array{status: int, headers: array, body: string} */
        public function jsonSerialize(): array {}
    }
}

/*
 * Exceptions are thrown by folk; constructing them from PHP is not supported
 * (the extension's class registration replaces \Exception's constructor).
 */
namespace Folk\Exception {
    /** Base class of every exception folk throws. */
    class FolkException extends \Exception {}

    /** The queue is full, or no worker became free within queue.timeout. Retry later. */
    class BusyException extends FolkException {}

    /** A job ran past workers.exec_timeout and was interrupted (its finally blocks ran). */
    class TimeoutException extends FolkException {}

    /** The worker died during the job (fatal error, exit(), memory_limit) and was replaced. */
    class WorkerDiedException extends FolkException {}

    /** The job handler threw; the original exception's class, message, file and line are kept. */
    class ApplicationException extends FolkException
    {
        public function getOriginalClass(): string {}
        public function getOriginalMessage(): string {}
        public function getOriginalFile(): string {}
        public function getOriginalLine(): int {}
    }

    /** An option is unknown, invalid or out of range; the message names the key (and the bound). */
    class ConfigException extends FolkException {}

    /** A method argument is out of its accepted range; the message names the argument and the range. */
    class InvalidArgumentException extends FolkException {}
}
