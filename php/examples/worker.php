<?php
// The example worker: booted once per worker thread (and on the main thread),
// then serves many requests. `/` says hello, `/json` encodes a ~1 KiB array
// built on every request (the same work as bench/http/app/json.php).
$booted = date(DATE_ATOM);

function example_items(): array
{
    $items = [];
    for ($i = 1; $i <= 10; $i++) {
        $items[] = [
            'id'       => $i,
            'name'     => "Item number $i",
            'price'    => round($i * 9.99, 2),
            'in_stock' => $i % 3 !== 0,
            'tags'     => ['bench', 'folk', "tag-$i"],
        ];
    }
    return $items;
}

Folk\Worker::serve(function (string $method, mixed $request) use ($booted) {
    if ($method !== 'http') {
        throw new InvalidArgumentException("this worker only serves HTTP, got '$method'");
    }
    switch ($request['path']) {
        case '/':
            return "Hello, World!";
        case '/json':
            $items = example_items();
            return new Folk\Http\Response(
                json_encode(['status' => 'ok', 'message' => 'Hello, World!', 'count' => count($items), 'items' => $items]),
                200,
                ['content-type' => 'application/json'],
            );
        case '/info':
            return ['status' => 200, 'headers' => ['content-type' => 'application/json'], 'body' => json_encode([
                'folk' => folk_version(), 'php' => PHP_VERSION, 'booted' => $booted,
                'method' => $request['method'], 'headers' => $request['headers'],
            ])];
        default:
            return ['status' => 404, 'body' => "Not found: {$request['path']}\n"];
    }
});
