<?php

namespace App\Console;

use App\Jobs\Noop;
use Illuminate\Foundation\Console\Kernel as ConsoleKernel;

class Kernel extends ConsoleKernel
{
    protected function commands()
    {
        // Dispatches {n} Noop jobs the way app code does; prints the seconds the
        // dispatching took (the app already booted, as in a request that pushes).
        $this->command('bench:push {n}', function (int $n) {
            $t = microtime(true);
            for ($i = 0; $i < $n; $i++) {
                dispatch(new Noop);
            }
            $this->line(sprintf('%.6f', microtime(true) - $t));
        });
    }
}
