--TEST--
Classic mode: $_GET (with arrays), urlencoded $_POST, $_COOKIE and $_REQUEST are this request's
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic(['f.php' => '<?php echo json_encode([$_GET, $_POST, $_COOKIE, $_REQUEST]);']);
[, , $b] = folk_http($srv[2], 'POST', '/f.php?g=1&arr[]=x&arr[]=y',
    ['content-type' => 'application/x-www-form-urlencoded', 'cookie' => 'c=3; d=4'], 'p=2&q%5Bk%5D=v');
echo $b, "\n";
echo folk_http($srv[2], 'GET', '/f.php')[2], "\n";
folk_stop_server($srv);
?>
--EXPECT--
[{"g":"1","arr":["x","y"]},{"p":"2","q":{"k":"v"}},{"c":"3","d":"4"},{"g":"1","arr":["x","y"],"p":"2","q":{"k":"v"},"c":"3","d":"4"}]
[[],[],[],[]]
