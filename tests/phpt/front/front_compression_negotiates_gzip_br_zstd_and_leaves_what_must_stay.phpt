--TEST--
http.compression: gzip, br and zstd are negotiated from Accept-Encoding (q-values honoured, q=0 refuses) and decode back to the same bytes with curl; already-encoded bodies, ranges, event streams, HEAD, small and binary bodies are left alone; Vary says so; static files without siblings are compressed, with siblings they keep theirs
--SKIPIF--
<?php
if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
elseif (!preg_match('/Features:.*\bbrotli\b.*\bzstd\b/s', (string) shell_exec('curl --version 2>/dev/null')) || !str_contains((string) shell_exec('curl --version'), 'libz')) echo 'skip needs a curl with libz, brotli and zstd';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
$json = json_encode(array_fill(0, 60, ['id' => 1, 'name' => 'folk', 'ok' => true]));
$css = str_repeat(".a { color: red; }\n", 100);
$srv = folk_classic([
    'json.php' => '<?php header("Content-Type: application/json"); echo ' . var_export($json, true) . ';',
    'small.php' => '<?php echo "tiny";',
    'png.php' => '<?php header("Content-Type: image/png"); echo str_repeat("x", 4000);',
    'encoded.php' => '<?php header("Content-Type: text/plain"); header("Content-Encoding: gzip"); echo gzencode(str_repeat("already ", 500));',
    'sse.php' => '<?php header("Content-Type: text/event-stream"); echo str_repeat("data: x\n\n", 300);',
    'app.css' => $css,
    'pre.js' => str_repeat('var a = 1;', 200),
    'pre.js.gz' => gzencode(str_repeat('var a = 1;', 200)),
]);
$base = "http://127.0.0.1:{$srv[2]}";

/** curl, decoding with --compressed; returns [status, headers (lowercase name => value), decoded body, bytes on the wire]. */
function fetch(string $url, array $args = []): array {
    $h = tempnam(sys_get_temp_dir(), 'folk-h-');
    $cmd = 'curl -s --compressed -D ' . escapeshellarg($h) . " -w '\n%{size_download}'";
    foreach ($args as $a) $cmd .= ' ' . escapeshellarg($a);
    $out = shell_exec($cmd . ' ' . escapeshellarg($url));
    $n = strrpos($out, "\n");
    [$body, $size] = [substr($out, 0, $n), (int) substr($out, $n + 1)];
    $lines = explode("\r\n", trim(file_get_contents($h)));
    unlink($h);
    $status = (int) explode(' ', array_shift($lines))[1];
    $headers = [];
    foreach ($lines as $l) if (str_contains($l, ':')) { [$k, $v] = explode(':', $l, 2); $headers[strtolower($k)] = trim($v); }
    return [$status, $headers, $body, $size];
}

echo "-- each coding round-trips\n";
foreach (['gzip', 'br', 'zstd'] as $c) {
    [$s, $h, $b, $wire] = fetch("$base/json.php", ['-H', "accept-encoding: $c"]);
    printf("%s: %d %s vary=%s same=%s smaller=%s length=%s\n", $c, $s, $h['content-encoding'] ?? '-', $h['vary'] ?? '-',
        var_export($b === $json, true), var_export($wire < strlen($json) / 3, true), ($h['content-length'] ?? '-') === (string) $wire ? 'the compressed size' : ($h['content-length'] ?? '-'));
}
echo "-- preference and q-values\n";
foreach (['gzip, deflate, br, zstd', 'gzip, br', 'br;q=0.5, gzip', 'zstd;q=0, br;q=0, gzip', 'gzip;q=0, br;q=0, zstd;q=0', '*;q=0.2, zstd;q=0', 'identity'] as $ae) {
    [$s, $h, $b] = fetch("$base/json.php", ['-H', "accept-encoding: $ae"]);
    printf("%-28s -> %s (%s)\n", $ae, $h['content-encoding'] ?? 'identity', $b === $json ? 'same bytes' : 'DIFFERENT');
}
echo "-- left alone\n";
[$s, $h, $b] = fetch("$base/json.php", ['-H', 'accept-encoding:']);
printf("no accept-encoding: %s vary=%s\n", $h['content-encoding'] ?? 'identity', $h['vary'] ?? '-');
[$s, $h] = fetch("$base/small.php", ['-H', 'accept-encoding: gzip']);
printf("below min_size: %s vary=%s\n", $h['content-encoding'] ?? 'identity', $h['vary'] ?? '-');
[$s, $h] = fetch("$base/png.php", ['-H', 'accept-encoding: gzip']);
printf("image/png: %s vary=%s\n", $h['content-encoding'] ?? 'identity', $h['vary'] ?? '-');
[$s, $h, $b] = fetch("$base/encoded.php", ['-H', 'accept-encoding: gzip, br']);
printf("already gzip: %s once=%s\n", $h['content-encoding'], var_export($b === str_repeat('already ', 500), true));
[$s, $h] = fetch("$base/sse.php", ['-H', 'accept-encoding: gzip']);
printf("event stream: %s\n", $h['content-encoding'] ?? 'identity');
[$s, $h] = fetch("$base/json.php", ['-I', '-H', 'accept-encoding: gzip']);
printf("HEAD: %d %s\n", $s, $h['content-encoding'] ?? 'identity');
echo "-- static files\n";
[$s, $h, $b] = fetch("$base/app.css", ['-H', 'accept-encoding: br']);
printf("no sibling: %d %s etag-weak=%s same=%s ranges=%s\n", $s, $h['content-encoding'] ?? 'identity', var_export(str_starts_with($h['etag'], 'W/'), true), var_export($b === $css, true), $h['accept-ranges'] ?? '-');
[$s, $h, $b] = fetch("$base/app.css", ['-H', 'accept-encoding: br', '-H', 'range: bytes=0-9']);
printf("range: %d %s body=%s\n", $s, $h['content-encoding'] ?? 'identity', $b);
[$s, $h, $b] = fetch("$base/pre.js", ['-H', 'accept-encoding: gzip, br']);
printf("sibling: %s same=%s\n", $h['content-encoding'] ?? 'identity', var_export($b === str_repeat('var a = 1;', 200), true));
[$s, $h] = fetch("$base/pre.js", ['-H', 'accept-encoding: br']);
printf("sibling not accepted: %s vary=%s\n", $h['content-encoding'] ?? 'identity', $h['vary'] ?? '-');
folk_stop_server($srv);

echo "-- http.compression.enabled = false\n";
$srv = folk_classic(['json.php' => '<?php header("Content-Type: application/json"); echo ' . var_export($json, true) . ';'], ['http' => ['compression' => ['enabled' => false]]]);
[$s, $h] = fetch("http://127.0.0.1:{$srv[2]}/json.php", ['-H', 'accept-encoding: gzip']);
printf("%s vary=%s\n", $h['content-encoding'] ?? 'identity', $h['vary'] ?? '-');
folk_stop_server($srv);
echo "-- http.compression.algorithms = gzip only\n";
$srv = folk_classic(['json.php' => '<?php header("Content-Type: application/json"); echo ' . var_export($json, true) . ';'], ['http' => ['compression' => ['algorithms' => 'gzip']]]);
[$s, $h] = fetch("http://127.0.0.1:{$srv[2]}/json.php", ['-H', 'accept-encoding: br, zstd, gzip;q=0.1']);
printf("%s\n", $h['content-encoding'] ?? 'identity');
folk_stop_server($srv);
?>
--EXPECT--
-- each coding round-trips
gzip: 200 gzip vary=Accept-Encoding same=true smaller=true length=the compressed size
br: 200 br vary=Accept-Encoding same=true smaller=true length=the compressed size
zstd: 200 zstd vary=Accept-Encoding same=true smaller=true length=the compressed size
-- preference and q-values
gzip, deflate, br, zstd      -> zstd (same bytes)
gzip, br                     -> br (same bytes)
br;q=0.5, gzip               -> gzip (same bytes)
zstd;q=0, br;q=0, gzip       -> gzip (same bytes)
gzip;q=0, br;q=0, zstd;q=0   -> identity (same bytes)
*;q=0.2, zstd;q=0            -> br (same bytes)
identity                     -> identity (same bytes)
-- left alone
no accept-encoding: identity vary=-
below min_size: identity vary=-
image/png: identity vary=-
already gzip: gzip once=true
event stream: identity
HEAD: 200 identity
-- static files
no sibling: 200 br etag-weak=true same=true ranges=-
range: 206 identity body=.a { color
sibling: gzip same=true
sibling not accepted: identity vary=Accept-Encoding
-- http.compression.enabled = false
identity vary=-
-- http.compression.algorithms = gzip only
gzip
