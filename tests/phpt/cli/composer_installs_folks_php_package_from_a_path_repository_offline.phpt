--TEST--
Debian's composer installs folk's PHP side (php/composer.json, package folk/folk) into an application from a path repository with packagist off, and the application's vendor/autoload.php then serves PSR-7 worker mode under folk (Folk\Psr7\Worker with nyholm/psr7 from Debian)
--SKIPIF--
<?php
if (!function_exists('posix_kill')) die('skip needs posix to signal the server');
if (!is_executable('/usr/bin/composer') && posix_geteuid() !== 0) die('skip composer missing and not root to apt-get it');
?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/server_harness.php';
// Debian's composer (and the NTS php-cli it runs on), installed once under a lock.
if (!is_executable('/usr/bin/composer')) {
    $lock = fopen(sys_get_temp_dir() . '/folk-composer-apt.lock', 'c');
    flock($lock, LOCK_EX);
    if (!is_executable('/usr/bin/composer')) {
        exec('apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends composer >/dev/null 2>&1');
    }
    flock($lock, LOCK_UN);
    if (!is_executable('/usr/bin/composer')) { echo "apt-get could not install composer (no network?)\n"; exit(0); }
}
$package = realpath(dirname(__DIR__, 3) . '/php');
$app = sys_get_temp_dir() . '/folk-composer-app-' . getmypid();
mkdir("$app/public", 0777, true);
// Packagist off: folk/folk from the path repository; the PSR interfaces come from Debian's
// /usr/share/php (php-psr-http-message, php-psr-http-factory), which the application provides.
file_put_contents("$app/composer.json", json_encode([
    'name' => 'example/app',
    'repositories' => [['packagist.org' => false], ['type' => 'path', 'url' => $package, 'options' => ['symlink' => true]]],
    'provide' => ['psr/http-message' => '1.0.1', 'psr/http-factory' => '1.0.1'],
    'minimum-stability' => 'dev',
], JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES));
$env = ['HOME' => $app, 'COMPOSER_HOME' => "$app/.composer", 'COMPOSER_DISABLE_NETWORK' => '1', 'COMPOSER_NO_INTERACTION' => '1',
    'COMPOSER_ALLOW_SUPERUSER' => '1', 'PATH' => getenv('PATH')];
$p = proc_open(['/usr/bin/composer', 'require', 'folk/folk:*', '--no-progress', '--working-dir', $app], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, $app, $env);
$out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
$code = proc_close($p);
echo "composer require folk/folk: exit $code", $code ? "\n$out" : '', "\n";
$installed = json_decode((string) @file_get_contents("$app/vendor/composer/installed.json"), true);
foreach ($installed['packages'] ?? [] as $pkg) echo "installed: {$pkg['name']} ({$pkg['dist']['type']})\n";
echo "vendor/folk/folk is the repository's php/: ", realpath("$app/vendor/folk/folk") === $package ? 'yes' : 'no', "\n";

// The application's worker: Composer's autoloader finds Folk\Psr7; nyholm from Debian's include path.
file_put_contents("$app/worker.php", '<?php
require __DIR__ . "/vendor/autoload.php";
set_include_path("/usr/share/php" . PATH_SEPARATOR . get_include_path());
require_once "Nyholm/Psr7/autoload.php";
$f = new Nyholm\Psr7\Factory\Psr17Factory();
(new Folk\Psr7\Worker($f, $f, $f))->run(fn ($req) => $f->createResponse(200)->withHeader("X-Via", "composer")
    ->withBody($f->createStream("hello " . $req->getQueryParams()["name"] . " from " . (new ReflectionClass(Folk\Psr7\Worker::class))->getFileName())));');
$server = folk_start_server(['worker' => "$app/worker.php", 'workers' => ['count' => 1], 'server' => ['main_worker' => false]]);
[$status, $headers, $body] = folk_http($server[2], 'GET', '/?name=folk');
// vendor/folk/folk links to the repository's php/, so PHP names the file by its real path.
echo "$status ", $headers['x-via'][0] ?? '(none)', " ", str_replace([$package, $app], ['<php>', '<app>'], $body), "\n";
[$code] = folk_stop_server($server);
echo "stopped: $code\n";
exec('rm -rf ' . escapeshellarg($app));
?>
--EXPECT--
composer require folk/folk: exit 0
installed: folk/folk (path)
vendor/folk/folk is the repository's php/: yes
200 composer hello folk from <php>/Psr7/Worker.php
stopped: 0
