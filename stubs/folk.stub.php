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
         * A gRPC call (grpc.listen) arrives as method "grpc" with the call as the payload
         * (service, method, path, message bytes, metadata, deadline, peer, authority, tls); the
         * handler returns the reply message, a Folk\Grpc\Reply or an iterable of messages, or
         * throws Folk\Grpc\Exception (stubs/folk_grpc.stub.php, README "gRPC services").
         *
         * @param callable(string, mixed): mixed $handler
         * @throws Exception\FolkException when called outside a folk worker, or twice
         */
        public static function serve(callable $handler): void {}

        /**
         * Worker mode for unmodified front controllers: waits for the next HTTP request and calls
         * $handler() with that request's $_SERVER, $_GET, $_POST, $_COOKIE, $_FILES, $_REQUEST and
         * php://input; echo, header(), setcookie(), http_response_code(), sessions and flush() build
         * its response, as under php-fpm. When the handler returns, the response is sent and the
         * request state is reset (superglobals, headers, status, output buffers, session, upload temp
         * files, php://input streams, peak memory); what the worker booted survives.
         * Returns true after each request; false when the worker must stop (recycle by max_jobs, ttl or
         * max_memory, reload, shutdown): end the script then. exit() in the handler sends the output so
         * far and replaces the worker; a fatal error or exec_timeout gives 500/504 and replaces it; an
         * uncaught exception gives 500 and keeps it. A worker script uses handleRequest() or serve(), not both.
         *
         * Non-HTTP jobs that reach the worker meanwhile (the jobs plugin's "jobs.process") run with
         * $jobs(string $method, mixed $payload), exactly as under serve(); without $jobs they fail
         * with an error saying so.
         *
         * @param callable(): mixed $handler its return value is ignored
         * @param ?callable(string, mixed): mixed $jobs
         * @throws Exception\FolkException outside a Folk\Server worker with HTTP (a Folk\Pool worker,
         *         plain PHP), after serve(), or with a non-callable
         */
        public static function handleRequest(callable $handler, ?callable $jobs = null): bool {}

        /**
         * Worker mode for scripts that loop on their own (RoadRunner's `while ($req = $psr7->waitRequest())`):
         * answers the request the previous call left open (its output, headers and status are the
         * response, as when a handleRequest() handler returns), then waits for the next HTTP request and
         * opens it exactly as handleRequest() does, and returns with it open: $_SERVER, $_GET, $_POST,
         * $_COOKIE, $_FILES, php://input, headers, output buffering and the session are that request's
         * until it is answered, by the next waitRequest(), endRequest(), failRequest() or the end of the
         * script. Returns true with a request open; false when the worker must stop (end the script then).
         *
         * The same rules as handleRequest(): max_execution_time and workers.exec_timeout count per request
         * (past exec_timeout: 504, even if the application catches the TimeoutException); exit() sends the
         * output so far and replaces the worker; a fatal error, or an exception that ends the script,
         * gives a bare 500 and replaces it. Non-HTTP jobs run meanwhile with $jobs(string $method, mixed
         * $payload); without $jobs they fail with an error saying so. A worker script uses waitRequest(),
         * handleRequest() or serve(), one of them; not inside a Fiber, nor from the $jobs handler.
         *
         * @param ?callable(string, mixed): mixed $jobs
         * @throws Exception\FolkException outside a Folk\Server worker with HTTP, after handleRequest() or
         *         serve(), inside a Fiber or the job handler, or with a non-callable $jobs
         */
        public static function waitRequest(?callable $jobs = null): bool {}

        /**
         * Answers the request waitRequest() opened now: its output, headers and status are the response,
         * and the request state is reset (output after this goes to php-cli's stdout). False if no
         * request is open. Past exec_timeout the client gets 504 instead, and waitRequest() then
         * returns false.
         */
        public static function endRequest(): bool {}

        /**
         * Answers the request waitRequest() opened with a bare 500 (its output and headers discarded) and
         * logs $error; the worker serves on (RoadRunner's $worker->error()). False if no request is open
         * (the error is logged all the same).
         */
        public static function failRequest(string $error): bool {}

        /** Whether a request waitRequest() opened is still open (not answered yet). */
        public static function isRequestOpen(): bool {}

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
     * `jobs.*`, `log.level`) of README.md's Options table, and `jobs.queues.<name>.*` (README's
     * "Background jobs"); `worker` is required.
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
         * (after a reload it stops taking jobs).
         * With server.supervise, the calling process binds the sockets, forks the server as a
         * child (which returns from run() after its stop) and supervises it: it restarts a crashed
         * child and exits with the child's status after a stop, never returning itself.
         * @throws Exception\FolkException naming the plugin that failed to boot, a bad TLS certificate
         *         or key (naming the file), or, with server.supervise, when the sockets cannot be bound
         *         or other threads run (an open Pool)
         */
        public function run(): void {}
    }

    /**
     * Background jobs on the server's broker (memory or Redis): push from anywhere (an HTTP
     * handler, a job, a plain CLI script); a server with a `jobs` section runs them on its
     * workers as method "jobs.process" with payload
     * ['queue' => string, 'name' => string, 'payload' => mixed, 'id' => string,
     *  'attempt' => int (1-based), 'enqueued_at' => float (Unix time), 'last_error' => ?string].
     * Returning means done; throwing (or timing out, or exiting) means retry, then dead letter.
     * Delivery is at least once: handlers must be idempotent. Payloads are stored as JSON:
     * strings must be UTF-8, NAN/INF are refused.
     */
    final class Jobs
    {
        /**
         * @param ?array<string, mixed> $options the `jobs` keys (`driver`, `redis.url`, `queues`, …); none
         *        inside a folk worker: the server's jobs config (and, for memory, its in-process broker)
         * @throws Exception\ConfigException naming a bad key
         * @throws Exception\JobsException when no config is given outside a server's worker
         */
        public function __construct(?array $options = null) {}

        /**
         * Pushes one job; returns its id.
         * @param array{delay?: string|int|float, id?: string} $options 'delay' ("10s", seconds): not run
         *        before; 'id': idempotency key, a second push with it within jobs.idempotency_ttl is a no-op
         * @throws Exception\JobsException naming the queue and the reason (broker down, bad payload or option)
         */
        public function push(string $queue, string $name, mixed $payload = null, array $options = []): string {}

        /**
         * Pushes many jobs, each ['name' => string, 'payload' => mixed, 'delay' => …, 'id' => …]; returns their ids.
         * @param list<array{name: string, payload?: mixed, delay?: string|int|float, id?: string}> $jobs
         * @return list<string>
         * @throws Exception\JobsException
         */
        public function pushMany(string $queue, array $jobs): array {}

        /**
         * The queue's numbers. Its dead letters are counted under the `dead_letter` the server
         * consuming the queue recorded (this client's own setting only until one has).
         * @return array{ready: int, delayed: int, running: int, dead: int, done: int, failed: int}
         * @throws Exception\JobsException
         */
        public function stats(string $queue): array {}

        /**
         * Moves the queue's dead letters (found as for stats()) back to ready, at attempt 1; returns how many.
         * @throws Exception\JobsException
         */
        public function retryDead(string $queue): int {}
    }

    /**
     * Application metrics, exported on the server's /metrics (metrics.listen) after folk's own.
     * One registry per process: every worker adds to the same series. Names are
     * [a-zA-Z_:][a-zA-Z0-9_:]* (not folk_*), label names [a-zA-Z_][a-zA-Z0-9_]*; a name keeps
     * the kind it was first used as; at most 1000 label combinations per name.
     */
    final class Metrics
    {
        /** Not instantiable: `new Folk\Metrics` throws. */
        public function __construct() {}

        /**
         * @param array<string, string|int|float|bool> $labels
         * @throws Exception\InvalidArgumentException naming the metric (bad name or label, negative value, other kind)
         */
        public static function counter(string $name, float $value = 1.0, array $labels = []): void {}

        /** @param array<string, string|int|float|bool> $labels @throws Exception\InvalidArgumentException */
        public static function gauge(string $name, float $value, array $labels = []): void {}

        /**
         * Observes $value (seconds, usually) into buckets from 5ms to 10s.
         * @param array<string, string|int|float|bool> $labels
         * @throws Exception\InvalidArgumentException
         */
        public static function histogram(string $name, float $value, array $labels = []): void {}
    }

    /** The answer of a job queued with Pool::submit(). Dropping it unwaited does not cancel the job: it still runs. */
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

    /** A jobs broker operation failed; the message, getQueue() and getReason() say for which queue and why. */
    class JobsException extends FolkException
    {
        /** The queue ("-" when the failure came before one was named). */
        public function getQueue(): string {}
        public function getReason(): string {}
    }
}
