<?php
// Benchmark endpoint: builds a ~1 KiB array on every request and returns it as
// JSON, so each request does a little real PHP work (served at /json by folk).
header('Content-Type: application/json');

$items = [];
for ($i = 1; $i <= 10; $i++) {
    $items[] = [
        'id'      => $i,
        'name'    => "Item number $i",
        'price'   => round($i * 9.99, 2),
        'in_stock' => $i % 3 !== 0,
        'tags'    => ['bench', 'folk', "tag-$i"],
    ];
}

echo json_encode([
    'status' => 'ok',
    'message' => 'Hello, World!',
    'count'  => count($items),
    'items'  => $items,
]);
