<?php
// RoadRunner's HttpWorker on folk: waitRequest() opens the next request with
// Folk\Worker::waitRequest() and describes it as RoadRunner's Request (from the
// superglobals and php://input folk set up for it); respond() answers it
// through PHP's own response (status, header(), echo), then Folk\Worker::endRequest().

namespace Spiral\RoadRunner\Http;

use Folk\Psr7\ServerRequestBuilder;
use Spiral\RoadRunner\Exception\RoadRunnerException;
use Spiral\RoadRunner\Worker;
use Spiral\RoadRunner\WorkerInterface;

class HttpWorker implements HttpWorkerInterface
{
    public function __construct(private WorkerInterface $worker)
    {
    }

    public function getWorker(): WorkerInterface
    {
        return $this->worker;
    }

    public function waitRequest(): ?Request
    {
        if (!$this->next()) {
            return null;
        }
        $server = $_SERVER;
        $request = new Request();
        $request->remoteAddr = (string) ($server['REMOTE_ADDR'] ?? '127.0.0.1');
        $request->protocol = (string) ($server['SERVER_PROTOCOL'] ?? 'HTTP/1.1');
        $request->method = (string) ($server['REQUEST_METHOD'] ?? 'GET');
        $request->uri = ServerRequestBuilder::uri($server);
        foreach (ServerRequestBuilder::headers($server) as $name => $value) {
            $request->headers[ucwords($name, '-')] = [$value];
        }
        $request->cookies = $_COOKIE;
        $request->query = $_GET;
        $request->uploads = self::uploads($_FILES);
        // As RoadRunner: a form PHP parsed is sent as its fields in JSON, flagged `parsed`.
        if ($request->method === 'POST' && ServerRequestBuilder::isForm((string) ($server['CONTENT_TYPE'] ?? ''))) {
            $request->body = json_encode($_POST, JSON_THROW_ON_ERROR);
            $request->parsed = true;
        } else {
            $request->body = (string) file_get_contents('php://input');
        }
        return $request;
    }

    /**
     * @param string|\Generator<mixed, scalar|\Stringable, mixed, scalar|\Stringable|null> $body
     * @param array<string, string|list<string>> $headers
     */
    public function respond(int $status, string|\Generator $body, array $headers = []): void
    {
        if (!\Folk\Worker::isRequestOpen()) {
            throw new RoadRunnerException('Spiral\RoadRunner\Http\HttpWorker::respond() was called with no request open: call it once for each request waitRequest() returned');
        }
        http_response_code($status);
        foreach ($headers as $name => $values) {
            // Set-Cookie adds to the ones the application set through PHP (session_start()); the others replace.
            $replace = strtolower((string) $name) !== 'set-cookie';
            foreach ((array) $values as $value) {
                header("$name: $value", $replace, $status);
                $replace = false;
            }
        }
        if (is_string($body)) {
            echo $body;
        } else {
            // Output buffers (output_buffering's among them) would hold the chunks back.
            while (ob_get_level() > 0 && ob_end_flush()) {
            }
            foreach ($body as $chunk) {
                echo $chunk;
                flush();
            }
            echo $body->getReturn() ?? '';
        }
        \Folk\Worker::endRequest();
    }

    /** @internal for PSR7Worker: answers the open request and opens the next; false: the worker must stop. */
    public function next(): bool
    {
        return $this->worker instanceof Worker ? $this->worker->nextRequest() : \Folk\Worker::waitRequest();
    }

    /** $_FILES (with its name[a][b] layout turned inside out) as RoadRunner's uploads tree. */
    private static function uploads(array $files): array
    {
        $out = [];
        foreach ($files as $field => $spec) {
            $out[$field] = self::tree($spec['tmp_name'] ?? '', $spec['size'] ?? 0, $spec['error'] ?? UPLOAD_ERR_NO_FILE, $spec['name'] ?? '', $spec['type'] ?? '');
        }
        return $out;
    }

    private static function tree(mixed $tmp, mixed $size, mixed $error, mixed $name, mixed $type): array
    {
        if (is_array($tmp)) {
            $out = [];
            foreach ($tmp as $k => $t) {
                $out[$k] = self::tree($t, $size[$k] ?? 0, $error[$k] ?? UPLOAD_ERR_NO_FILE, $name[$k] ?? '', $type[$k] ?? '');
            }
            return $out;
        }
        return ['name' => (string) $name, 'mime' => (string) $type, 'size' => (int) $size, 'error' => (int) $error, 'tmpName' => (string) $tmp];
    }
}
