<?php

// Errors (a job that failed, a worker that could not connect) to stderr, which the benchmark shows.
return [
    'default' => 'stderr',
    'channels' => [
        'stderr' => ['driver' => 'monolog', 'handler' => Monolog\Handler\StreamHandler::class, 'with' => ['stream' => 'php://stderr'], 'level' => 'error'],
    ],
];
