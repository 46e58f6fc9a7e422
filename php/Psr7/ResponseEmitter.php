<?php
// Sends a PSR-7 ResponseInterface through PHP's own response API (status line,
// header(), echo), which Folk\Worker::handleRequest() turns into the HTTP answer.
// A body of known size is echoed whole (folk sends it with a Content-Length, or
// streams it past 64 KiB); a body of unknown size is streamed: the output
// buffers are ended and each chunk is flushed to the client as it is read.
// The status line's reason phrase is HTTP's standard one for the code.

namespace Folk\Psr7;

use Psr\Http\Message\ResponseInterface;

final class ResponseEmitter
{
    public function __construct(private int $chunkSize = 65536)
    {
    }

    public function emit(ResponseInterface $response): void
    {
        $status = $response->getStatusCode();
        $reason = $response->getReasonPhrase();
        header(rtrim(sprintf('HTTP/%s %d %s', $response->getProtocolVersion(), $status, $reason)), true, $status);
        foreach ($response->getHeaders() as $name => $values) {
            $first = strtolower($name) !== 'set-cookie';
            foreach ($values as $value) {
                header("$name: $value", $first, $status);
                $first = false;
            }
        }
        $body = $response->getBody();
        if ($body->isSeekable()) {
            $body->rewind();
        }
        $streamed = $body->getSize() === null;
        if ($streamed) {
            // Output buffers (output_buffering's among them) would hold the chunks back.
            while (ob_get_level() > 0 && ob_end_flush()) {
            }
        }
        while (!$body->eof()) {
            $chunk = $body->read($this->chunkSize);
            if ($chunk === '') {
                break;
            }
            echo $chunk;
            if ($streamed) {
                flush();
            }
        }
    }
}
