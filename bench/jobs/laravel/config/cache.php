<?php

// queue:work needs a cache (it polls it for queue:restart); the skeleton's default, the file store.
return [
    'default' => 'file',
    'stores' => [
        'file' => ['driver' => 'file', 'path' => storage_path('framework/cache/data')],
    ],
    'prefix' => 'laravel_cache',
];
