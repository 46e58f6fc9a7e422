--TEST--
pcov, built but not enabled, loads into a folk server with -d extension=pcov -d pcov.enabled=1 (and pcov.directory) and collects the line coverage of a script a request runs: the lines run are 1 (the closing brace's implicit return among them), the branch not taken -1, and a server without the flag has no pcov
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/pecl.php'; if ($why = pecl_unavailable('pcov')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/pecl.php';
$lib = <<<'PHP'
<?php
function grade(int $score): string
{
    if ($score >= 50) {
        return 'pass';
    }
    return 'fail';
}
PHP;
$files = ['lib/grade.php' => $lib, 'cover.php' => '<?php
if (!extension_loaded("pcov")) { echo json_encode(["pcov" => false]); return; }
\pcov\start();
require __DIR__ . "/lib/grade.php";
$result = grade(70);
\pcov\stop();
$lines = \pcov\collect(\pcov\inclusive, [realpath(__DIR__ . "/lib/grade.php")])[realpath(__DIR__ . "/lib/grade.php")] ?? [];
ksort($lines);
echo json_encode(["result" => $result, "lines" => $lines]);'];
// pcov.directory: the code to cover (by default src/, lib/ or app/ under the working directory).
$srv = pecl_classic($files, ['extension' => 'pcov', 'pcov.enabled' => '1', 'pcov.directory' => realpath(sys_get_temp_dir())]);
echo folk_http($srv[2], 'GET', '/cover.php')[2], "\n";
var_dump(folk_stop_server($srv)[0]);
$plain = pecl_classic($files);
echo folk_http($plain[2], 'GET', '/cover.php')[2], "\n";
var_dump(folk_stop_server($plain)[0]);
?>
--EXPECT--
{"result":"pass","lines":{"4":1,"5":1,"7":-1,"8":1}}
int(0)
{"pcov":false}
int(0)
