<?php
// RoadRunner's PSR7Worker on folk: a RoadRunner PSR-7 worker script
//
//   $psr7 = new PSR7Worker(Worker::create(), $factory, $factory, $factory);
//   while ($req = $psr7->waitRequest()) {
//       try { $psr7->respond($app->handle($req)); }
//       catch (\Throwable $e) { $psr7->getWorker()->error((string) $e); }
//   }
//
// runs unchanged: waitRequest() opens the next request (Folk\Worker::waitRequest())
// and builds it with Folk\Psr7\ServerRequestBuilder, respond() sends the answer with
// Folk\Psr7\ResponseEmitter and closes the request (Folk\Worker::endRequest()).

namespace Spiral\RoadRunner\Http;

use Folk\Psr7\ResponseEmitter;
use Folk\Psr7\ServerRequestBuilder;
use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestFactoryInterface;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Http\Message\StreamFactoryInterface;
use Psr\Http\Message\UploadedFileFactoryInterface;
use Spiral\RoadRunner\Exception\RoadRunnerException;
use Spiral\RoadRunner\WorkerInterface;

class PSR7Worker implements PSR7WorkerInterface
{
    /** Preferred chunk size of a body of unknown size, sent as it is read (0: folk's 64 KiB). */
    public int $chunkSize = 0;

    private HttpWorker $httpWorker;
    private ServerRequestBuilder $builder;

    public function __construct(
        WorkerInterface $worker,
        ServerRequestFactoryInterface $requestFactory,
        StreamFactoryInterface $streamFactory,
        UploadedFileFactoryInterface $uploadsFactory,
    ) {
        $this->httpWorker = new HttpWorker($worker);
        $this->builder = new ServerRequestBuilder($requestFactory, $streamFactory, $uploadsFactory);
    }

    public function getWorker(): WorkerInterface
    {
        return $this->httpWorker->getWorker();
    }

    public function getHttpWorker(): HttpWorker
    {
        return $this->httpWorker;
    }

    public function waitRequest(): ?ServerRequestInterface
    {
        return $this->httpWorker->next() ? $this->builder->fromGlobals() : null;
    }

    public function respond(ResponseInterface $response): void
    {
        if (!\Folk\Worker::isRequestOpen()) {
            throw new RoadRunnerException('Spiral\RoadRunner\Http\PSR7Worker::respond() was called with no request open: call it once for each request waitRequest() returned');
        }
        (new ResponseEmitter($this->chunkSize > 0 ? $this->chunkSize : 65536))->emit($response);
        \Folk\Worker::endRequest();
    }
}
