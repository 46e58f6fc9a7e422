<?php
// Classic-mode benchmark: a front controller (paths naming no file land here) with a route table.
$routes = [
    '#^/users/(\d+)$#' => fn ($id) => json_encode(['id' => (int) $id, 'name' => "user $id"]),
    '#^/$#' => fn () => 'home',
];
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
foreach ($routes as $re => $action) {
    if (preg_match($re, $path, $m)) { header('Content-Type: application/json'); echo $action(...array_slice($m, 1)); return; }
}
http_response_code(404);
echo 'not found';
