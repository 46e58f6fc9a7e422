<?php
// Benchmark worker: a no-op job and a CPU-bound job.
function bench_burn(int $n): int { $x = 0; for ($i = 0; $i < $n; $i++) { $x = ($x + $i * 7) % 1000003; } return $x; }
Folk\Worker::serve(fn (string $m, mixed $p) => match ($m) {
    'noop' => null,
    'burn' => bench_burn($p),
    default => $p,
});
