--TEST--
Folk\Psr7\Worker turns $_FILES into a tree of UploadedFileInterface (the PSR-17 factory's class), nested field names kept, an empty file field as UPLOAD_ERR_NO_FILE
--SKIPIF--
<?php require __DIR__ . '/../../fixtures/frameworks.php'; if ($why = fw_unavailable('slim')) echo "skip $why"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/frameworks.php';
$s = folk_start_server(['worker' => dirname(__DIR__, 2) . '/fixtures/frameworks_psr7_worker.php', 'workers' => ['count' => 1], 'server' => ['main_worker' => false]]);
$part = fn(string $name, string $file, string $type, string $data) => "--B\r\nContent-Disposition: form-data; name=\"$name\"; filename=\"$file\"\r\nContent-Type: $type\r\n\r\n$data\r\n";
// The last part is a file field left empty, as a browser sends it.
$body = $part("docs[a]", "a.txt", "text/plain", "AAA") . $part("docs[b][]", "b.csv", "text/csv", "1,2") . $part("none", "", "application/octet-stream", "") . "--B--\r\n";
$headers = ["content-type" => "multipart/form-data; boundary=B"];
[$st, , $b] = folk_http($s[2], "POST", "/upload", $headers, $body);
echo "$st\n", json_encode(json_decode($b), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";
folk_stop_server($s);
?>
--EXPECT--
200
{
    "docs": {
        "a": {
            "class": "nyholm",
            "name": "a.txt",
            "type": "text/plain",
            "size": 3,
            "error": 0,
            "content": "AAA"
        },
        "b": [
            {
                "class": "nyholm",
                "name": "b.csv",
                "type": "text/csv",
                "size": 3,
                "error": 0,
                "content": "1,2"
            }
        ]
    },
    "none": {
        "class": "nyholm",
        "name": "",
        "type": "",
        "size": 0,
        "error": 4,
        "content": null
    }
}
