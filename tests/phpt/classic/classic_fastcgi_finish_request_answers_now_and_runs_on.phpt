--TEST--
Classic mode: fastcgi_finish_request() sends the response at once, later output is dropped, the script keeps running; it returns false when called again and on the CLI thread
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$mark = sys_get_temp_dir() . '/folk-finish-' . getmypid();
$srv = folk_classic(['f.php' => '<?php echo "answer"; $first = fastcgi_finish_request(); echo "dropped"; usleep(300000);'
    . ' file_put_contents(' . var_export($mark, true) . ', json_encode([$first, fastcgi_finish_request()]));']);
$t = microtime(true);
[$s, , $b] = folk_http($srv[2], 'GET', '/f.php');
echo "$s $b ", microtime(true) - $t < 0.25 ? 'early' : 'late', "\n";
for ($i = 0; $i < 100 && !file_exists($mark); $i++) usleep(20000);
echo file_get_contents($mark), "\n";
var_dump(fastcgi_finish_request());
unlink($mark);
folk_stop_server($srv);
?>
--EXPECT--
200 answer early
[true,false]
bool(false)
