--TEST--
A plugin that cannot boot makes run() throw, naming the plugin and the reason
--FILE--
<?php
$busy = stream_socket_server('tcp://127.0.0.1:0');
$addr = stream_socket_get_name($busy, false);
$s = new Folk\Server(['worker' => __DIR__ . '/../../fixtures/worker_http.php', 'workers' => ['count' => 1], 'http' => ['listen' => $addr]]);
try {
    $s->run();
    echo "ran\n";
} catch (Folk\Exception\FolkException $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
echo "still alive\n";
?>
--ENV--
FOLK_LOG=off
--EXPECTF--
Folk\Exception\FolkException: plugin 'http' failed to boot: cannot listen on 127.0.0.1:%d: Address already in use%S
still alive
