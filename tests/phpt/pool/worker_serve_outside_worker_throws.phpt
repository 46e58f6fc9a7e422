--TEST--
Folk\Worker::serve() outside a folk worker throws with an explanation
--FILE--
<?php
var_dump(Folk\Worker::isWorker());
try {
    Folk\Worker::serve(fn ($m, $p) => $p);
} catch (Folk\Exception\FolkException $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
bool(false)
Folk\Worker::serve() only works in a worker script started by folk (new Folk\Pool('worker.php') or Folk\Server); this script runs in plain PHP
