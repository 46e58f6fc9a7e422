<?php

// No SQL connection (none is used); Redis through phpredis, with no key prefix: the
// queue's keys are RedisQueue's own names.
return [
    'redis' => [
        'client' => 'phpredis',
        'options' => ['prefix' => ''],
        'default' => [
            'host' => '127.0.0.1',
            'port' => env('REDIS_PORT', 6379),
            'database' => 0,
        ],
    ],
];
