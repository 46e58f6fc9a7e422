<?php
// Builds a PSR-7 ServerRequestInterface from the superglobals of the request
// Folk\Worker::handleRequest() or waitRequest() has open, with any PSR-17 factories: the method,
// URI, protocol, headers, cookies, query, parsed form body, uploaded files (as
// UploadedFileInterface, nested names kept) and php://input as the body stream.

namespace Folk\Psr7;

use Psr\Http\Message\ServerRequestFactoryInterface;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Http\Message\StreamFactoryInterface;
use Psr\Http\Message\UploadedFileFactoryInterface;
use Psr\Http\Message\UploadedFileInterface;

final class ServerRequestBuilder
{
    public function __construct(
        private ServerRequestFactoryInterface $requests,
        private StreamFactoryInterface $streams,
        private UploadedFileFactoryInterface $uploads,
    ) {
    }

    public function fromGlobals(): ServerRequestInterface
    {
        $server = $_SERVER;
        $request = $this->requests->createServerRequest($server['REQUEST_METHOD'] ?? 'GET', self::uri($server), $server);
        $protocol = $server['SERVER_PROTOCOL'] ?? 'HTTP/1.1';
        if (preg_match('#^HTTP/(\d(?:\.\d)?)$#', $protocol, $m)) {
            $request = $request->withProtocolVersion($m[1]);
        }
        foreach (self::headers($server) as $name => $value) {
            $request = $request->withHeader($name, $value);
        }
        $request = $request->withCookieParams($_COOKIE)->withQueryParams($_GET)
            ->withUploadedFiles($this->files($_FILES));
        // PHP parsed the body (form or multipart POST): PSR-7's parsed body is $_POST.
        if (($request->getMethod() === 'POST') && self::isForm($request->getHeaderLine('content-type'))) {
            $request = $request->withParsedBody($_POST);
        }
        $input = fopen('php://input', 'r');
        return $request->withBody($this->streams->createStreamFromResource($input));
    }

    /** The absolute URL of the request `$server` (a $_SERVER) describes. */
    public static function uri(array $server): string
    {
        $https = !empty($server['HTTPS']) && strtolower((string) $server['HTTPS']) !== 'off';
        $scheme = $server['REQUEST_SCHEME'] ?? ($https ? 'https' : 'http');
        $host = $server['HTTP_HOST'] ?? (($server['SERVER_NAME'] ?? 'localhost') . (isset($server['SERVER_PORT']) ? ':' . $server['SERVER_PORT'] : ''));
        return $scheme . '://' . $host . ($server['REQUEST_URI'] ?? '/');
    }

    /** @return array<string, string> the request headers (lower-case names), as the CGI variables carry them */
    public static function headers(array $server): array
    {
        $headers = [];
        foreach ($server as $key => $value) {
            if (!is_string($value)) {
                continue;
            }
            if (str_starts_with($key, 'HTTP_')) {
                $headers[str_replace('_', '-', strtolower(substr($key, 5)))] = $value;
            } elseif ($key === 'CONTENT_TYPE' || $key === 'CONTENT_LENGTH') {
                if ($value !== '') {
                    $headers[str_replace('_', '-', strtolower($key))] = $value;
                }
            }
        }
        if (!isset($headers['authorization']) && isset($server['PHP_AUTH_USER'])) {
            $headers['authorization'] = 'Basic ' . base64_encode($server['PHP_AUTH_USER'] . ':' . ($server['PHP_AUTH_PW'] ?? ''));
        }
        return $headers;
    }

    /** Whether a body of Content-Type `$type` is a form PHP parses into $_POST. */
    public static function isForm(string $type): bool
    {
        $type = strtolower(trim(explode(';', $type, 2)[0]));
        return $type === 'application/x-www-form-urlencoded' || $type === 'multipart/form-data';
    }

    /** $_FILES (with its name[a][b] layout turned inside out) as a tree of UploadedFileInterface. */
    private function files(array $files): array
    {
        $out = [];
        foreach ($files as $field => $spec) {
            $out[$field] = $this->tree($spec['tmp_name'] ?? '', $spec['size'] ?? 0, $spec['error'] ?? UPLOAD_ERR_NO_FILE, $spec['name'] ?? null, $spec['type'] ?? null);
        }
        return $out;
    }

    private function tree(mixed $tmp, mixed $size, mixed $error, mixed $name, mixed $type): UploadedFileInterface|array
    {
        if (is_array($tmp)) {
            $out = [];
            foreach ($tmp as $k => $t) {
                $out[$k] = $this->tree($t, $size[$k] ?? 0, $error[$k] ?? UPLOAD_ERR_NO_FILE, $name[$k] ?? null, $type[$k] ?? null);
            }
            return $out;
        }
        $stream = $error === UPLOAD_ERR_OK && is_string($tmp) && is_file($tmp)
            ? $this->streams->createStreamFromFile($tmp, 'r')
            : $this->streams->createStream('');
        return $this->uploads->createUploadedFile($stream, (int) $size, (int) $error, $name, $type);
    }
}
