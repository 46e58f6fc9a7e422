--TEST--
Classic mode: php://input (read twice), $_POST and $_FILES (with move_uploaded_file) get exactly what was sent for a raw body, a urlencoded form and a multipart upload, whether the body stays in memory (under http.body_buffer) or comes through a spool file (1 MiB)
--SKIPIF--
<?php
if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
elseif (!is_dir('/proc/self/fd')) echo 'skip needs /proc';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
require __DIR__ . '/../../fixtures/body_spool.php';
$srv = folk_classic(['r.php' => '<?php ' . folk_spooled_php() . "\n" . folk_body_report_php()]);
folk_body_cases($srv[2], '/r.php');
[$code] = folk_stop_server($srv);
var_dump($code);
?>
--EXPECT--
small raw: as sent, in memory
small urlencoded: as sent, in memory
small multipart: as sent, in memory
large raw: as sent, through a spool file
large urlencoded: as sent, through a spool file
large multipart: as sent, through a spool file
int(0)
