<?php
// RoadRunner's HTTP request (Http\HttpWorker::waitRequest()), with its public
// fields, filled by folk from the request it opened.

namespace Spiral\RoadRunner\Http;

final class Request
{
    public string $remoteAddr = '127.0.0.1';
    /** e.g. "HTTP/1.1" */
    public string $protocol = 'HTTP/1.0';
    public string $method = 'GET';
    /** The absolute URL: scheme, host, path and query. */
    public string $uri = 'http://localhost';
    /** @var array<string, list<string>> canonical names ("Content-Type") => values */
    public array $headers = [];
    /** @var array<string, string> */
    public array $cookies = [];
    /** @var array<array-key, mixed> name, mime, size, error, tmpName for each file, nested as in the form */
    public array $uploads = [];
    /** @var array<string, mixed> */
    public array $attributes = [];
    /** @var array<string, mixed> */
    public array $query = [];
    /** The raw body; for a parsed form ($parsed), its fields as JSON, as RoadRunner sends them. */
    public string $body = '';
    public bool $parsed = false;

    public function getRemoteAddr(): string
    {
        return (string) ($this->attributes['ipAddress'] ?? $this->remoteAddr);
    }

    /** The form fields of a parsed body; null when the body was not a form. */
    public function getParsedBody(): ?array
    {
        if ($this->parsed) {
            return (array) json_decode($this->body, true, 512, JSON_THROW_ON_ERROR);
        }
        return null;
    }
}
