--TEST--
Classic mode: 100 concurrent 4 MiB uploads, over 50 HTTP/1.1 keep-alive connections and then over one HTTP/2 connection, reach php://input intact (md5 compared) through temporary files, while the server's resident memory grows by less than 64 MiB (read whole into memory, the same uploads grew it by 200 to 360 MiB); no spool file stays open after them
--SKIPIF--
<?php
if (!function_exists('posix_kill')) echo 'skip needs posix to signal the server';
elseif (!function_exists('curl_multi_init') || !(curl_version()['features'] & CURL_VERSION_HTTP2)) echo 'skip needs curl with HTTP/2';
elseif (!is_dir('/proc/self/fd')) echo 'skip needs /proc';
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/classic_harness.php';
require __DIR__ . '/../../fixtures/body_spool.php';
require __DIR__ . '/../../fixtures/tls.php';
const SIZE = 4 << 20;
const BOUND_KIB = 64 << 10;
$tls = sys_get_temp_dir() . '/folk-spool-tls-' . getmypid();
[$cert, $key] = folk_tls_cert($tls, 'localhost');
$srv = folk_classic(['u.php' => '<?php ' . folk_spooled_php()
    . ' $h = hash_init("md5"); hash_update_stream($h, fopen("php://input", "r"));'
    . ' echo hash_final($h), " ", $_SERVER["CONTENT_LENGTH"], " ", spooled() > 0 ? "spooled" : "in memory";'],
    ['workers' => ['count' => 2], 'http' => ['tls' => ['cert' => $cert, 'key' => $key]]]);
$pid = proc_get_status($srv[0])['pid'];
$url = "https://127.0.0.1:{$srv[2]}/u.php";

function run_uploads(string $url, int $pid, bool $h2): void
{
    $label = $h2 ? 'h2' : 'h1';
    // Warm-up: the threads, TLS sessions and allocator pools a first burst sets up are not what is measured.
    folk_concurrent_uploads($url, 8, SIZE, $h2, 8, fn() => null);
    $before = folk_rss_kib($pid);
    $peak = $before;
    [$results, $connects] = folk_concurrent_uploads($url, 100, SIZE, $h2, 50, function () use (&$peak, $pid) { $peak = max($peak, folk_rss_kib($pid)); });
    $bad = [];
    $versions = [];
    foreach ($results as $i => [$status, $body, $md5, $version, $error]) {
        $versions[$version] = true;
        if ($status !== 200 || $body !== "$md5 " . SIZE . ' spooled') $bad[] = "#$i: $status '$body' (sent $md5) $error";
    }
    echo "$label: ", $bad ? count($bad) . " failed: " . implode('; ', array_slice($bad, 0, 3)) : '100 uploads intact', "\n";
    echo "$label: ", $h2 ? ($connects === 1 && array_keys($versions) === [CURL_HTTP_VERSION_2_0] ? 'one HTTP/2 connection' : "$connects connections, versions " . json_encode(array_keys($versions)))
        : ($connects <= 50 && array_keys($versions) === [CURL_HTTP_VERSION_1_1] ? 'at most 50 HTTP/1.1 connections' : "$connects connections"), "\n";
    $growth = $peak - $before;
    echo "$label: ", $growth < BOUND_KIB ? 'memory growth under 64 MiB' : sprintf('memory grew by %.1f MiB (from %.1f MiB)', $growth / 1024, $before / 1024), "\n";
}

run_uploads($url, $pid, false);
run_uploads($url, $pid, true);
echo 'spool files still open: ', json_encode(folk_wait_no_spool_fds($pid)), "\n";
[$code] = folk_stop_server($srv);
folk_rm_dir($tls);
var_dump($code);
?>
--EXPECT--
h1: 100 uploads intact
h1: at most 50 HTTP/1.1 connections
h1: memory growth under 64 MiB
h2: 100 uploads intact
h2: one HTTP/2 connection
h2: memory growth under 64 MiB
spool files still open: []
int(0)
