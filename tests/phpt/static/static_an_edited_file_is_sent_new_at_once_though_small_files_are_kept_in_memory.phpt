--TEST--
Small static files are kept in memory between requests, yet an edit shows at the next request: the same size and modification time (restored with touch) or a file replaced by rename; a deleted file is 404 at once
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
require __DIR__ . '/../../fixtures/docroot.php';
$root = folk_docroot(['app.css' => 'body{color:red}']);
$srv = folk_start_server(['workers' => ['count' => 1], 'http' => ['root' => $root]]);
$get = function () use ($srv) { [$s, , $b] = folk_http($srv[2], 'GET', '/app.css'); return "$s $b"; };
echo $get(), "\n", $get(), "\n";
$mtime = filemtime("$root/app.css");
file_put_contents("$root/app.css", 'body{color:tan}');
touch("$root/app.css", $mtime);
clearstatcache();
echo "same size and mtime: ", $get(), "\n";
file_put_contents("$root/new.css", 'p{margin:0}');
rename("$root/new.css", "$root/app.css");
echo "replaced by rename: ", $get(), "\n";
unlink("$root/app.css");
echo "deleted: ", $get(), "\n";
echo 'exit ', folk_stop_server($srv)[0], "\n";
?>
--EXPECT--
200 body{color:red}
200 body{color:red}
same size and mtime: 200 body{color:tan}
replaced by rename: 200 p{margin:0}
deleted: 404 not found
exit 0
