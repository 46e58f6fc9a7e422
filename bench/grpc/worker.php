<?php
// bench/grpc: one handler, the same trivial cost for both protocols — a gRPC
// call echoes its request message, an HTTP request gets "hello".
Folk\Worker::serve(fn (string $method, mixed $payload) => $method === 'grpc' ? $payload['message'] : 'hello');
