<?php
// The bench's worker: no-op jobs, latency probes, and HTTP endpoints that push (for the memory driver).
Folk\Worker::serve(function (string $method, mixed $req) {
    if ($method === 'jobs.process') {
        if ($req['name'] === 'lat') {
            file_put_contents($req['payload']['file'], sprintf("%.6f\n", microtime(true) - $req['payload']['t']), FILE_APPEND | LOCK_EX);
        }
        return null;
    }
    parse_str($req['query'] ?? '', $q);
    $jobs = new Folk\Jobs();
    switch ($req['path']) {
        case '/push': // ?n no-op jobs, in pushMany batches of 1000
            for ($left = (int) $q['n']; $left > 0; $left -= 1000) {
                $jobs->pushMany('bench', array_fill(0, min(1000, $left), ['name' => 'noop']));
            }
            return 'ok';
        case '/lat':  // one latency probe, pushed from inside the server
            $jobs->push('bench', 'lat', ['t' => microtime(true), 'file' => $q['file']]);
            return 'ok';
        case '/stats':
            return json_encode($jobs->stats('bench'));
    }
    return ['status' => 404, 'body' => ''];
});
