--TEST--
A string command without shell = true, an unknown process key, a process without a command and a program that does not exist all stop the server from starting, each with an error naming the key or the process
--FILE--
<?php
$worker = __DIR__ . '/../../fixtures/worker_http.php';
$port = stream_socket_get_name($l = stream_socket_server('tcp://127.0.0.1:0'), false);
fclose($l);
foreach ([
    ['q' => ['command' => 'php artisan queue:work']],
    ['q' => ['command' => ['php'], 'nope' => 1]],
    ['q' => ['numprocs' => 2]],
    ['Q' => ['command' => ['php']]],
    ['q' => ['command' => ['/nonexistent/folk-test-program', '--x']]],
] as $processes) {
    try {
        $s = new Folk\Server(['worker' => $worker, 'workers' => ['count' => 1], 'http' => ['listen' => $port], 'processes' => $processes]);
        $s->run();
        echo "ran\n";
    } catch (Folk\Exception\FolkException $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
}
?>
--ENV--
FOLK_LOG=off
--EXPECTF--
Folk\Exception\ConfigException: invalid option 'processes.q.command': a string is run by /bin/sh only with processes.<name>.shell = true; or give the command as a list (argv) like ['php', 'artisan', 'queue:work']
Folk\Exception\ConfigException: invalid option 'processes.q.nope': unknown process option (known: command, shell, directory, env, numprocs, restart, restart_delay, restart_delay_max, max_restarts, ready_after, stop_signal, stop_timeout, required)
Folk\Exception\ConfigException: invalid option 'processes.q.command': every process needs a command: a list like ['php', 'artisan', 'queue:work']
Folk\Exception\ConfigException: invalid option 'processes.Q.command': process name "Q" must be 1 to 64 of a-z, 0-9, '_' and '-'
Folk\Exception\FolkException: plugin 'processes' failed to boot: processes.q: cannot start ["/nonexistent/folk-test-program", "--x"]: No such file or directory (os error 2)
