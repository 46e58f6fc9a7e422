--TEST--
Classic mode: a multipart POST fills $_POST and $_FILES, is_uploaded_file()/move_uploaded_file() work, php://input is empty, and unmoved temp files are removed after the request
--SKIPIF--
<?php if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server'; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$srv = folk_classic(['up.php' => '<?php $f = $_FILES["doc"]; $g = $_FILES["keep"];'
    . ' $dest = sys_get_temp_dir() . "/folk-moved-" . getmypid();'
    . ' echo json_encode([$_POST, $f["name"], $f["type"], $f["size"], $f["error"], is_uploaded_file($f["tmp_name"]), file_get_contents("php://input"),'
    . ' move_uploaded_file($g["tmp_name"], $dest), file_get_contents($dest), is_uploaded_file("/etc/passwd"), $f["tmp_name"]]); unlink($dest);']);
[$body, $headers] = folk_multipart(['title' => 'hello'], ['doc' => ['a.txt', 'text/plain', 'DOCUMENT'], 'keep' => ['b.bin', 'application/octet-stream', 'KEPT']]);
[$s, , $b] = folk_http($srv[2], 'POST', '/up.php', $headers, $body);
$r = json_decode($b, true);
$tmp = array_pop($r);
echo $s, " ", json_encode($r), "\n";
var_dump(file_exists($tmp));
folk_stop_server($srv);
?>
--EXPECT--
200 [{"title":"hello"},"a.txt","text\/plain",8,0,true,"",true,"KEPT",false]
bool(false)
