<?php
// The `folk` command's PHP side (bin/folk runs it with folk loaded): reads the
// command line, builds the options of a Folk\Server and runs it, or asks a
// running server's admin endpoints (status, reload). Exit codes: 0 ok (a
// clean stop), 1 failure (the server could not start, no admin endpoint
// answered), 2 a bad command line.

const FOLK_USAGE = <<<'TXT'
Usage:
  folk serve [ROOT] [--worker FILE] [--listen ADDR] [--fastcgi ADDR] [--grpc ADDR] [--workers N] [--config FILE] [--watch]
  folk status [--admin ADDR]
  folk reload [--admin ADDR]
  folk version
  folk help

serve     Serves ROOT (a document root): its files are sent as they are, and
          every other request goes to the worker script (--worker), or, with
          no worker, runs the PHP script under ROOT that the URL names, as
          php-fpm behind nginx does (classic mode).
  --worker FILE   a worker script (Folk\Worker::serve() or a framework worker)
  --listen ADDR   address to listen on (default 127.0.0.1:8080)
  --fastcgi ADDR  answer FastCGI in php-fpm's place behind nginx, Apache or
                  Caddy, on host:port or unix:/path (without --listen: no
                  HTTP; without ROOT: the web server names each script)
  --grpc ADDR     serve gRPC on host:port too: calls reach the worker's
                  handler as method "grpc" (README "gRPC services")
  --workers N     PHP worker threads (default: the number of CPUs)
  --config FILE   a PHP file returning an options array (README "Options");
                  the flags above win over it
  --watch         development: reload the workers when a PHP, .env, twig,
                  yaml or json file under the worker's directory (or ROOT)
                  changes (watch.*; README "Development: watch mode")
Options also come from folk.* INI directives and FOLK_* environment variables.

status    Prints each worker of a running server (state, the job it runs and
          for how long, age, memory, jobs served), from its metrics port.
reload    Reloads a running server's workers, as SIGHUP does; prints the new
          generation.
  --admin ADDR    the server's metrics.listen (default: $FOLK_METRICS_LISTEN,
                  else 127.0.0.1:9090)

Stop with SIGTERM or Ctrl-C (graceful); SIGHUP reloads the workers. A parent
process restarts the server if it crashes (server.supervise; turn it off with
FOLK_SERVER_SUPERVISE=false).
TXT;

function folk_cli_fail(string $message, int $code = 2): never
{
    fwrite(STDERR, "folk: $message\n");
    if ($code === 2) fwrite(STDERR, "Run 'folk help' for usage.\n");
    exit($code);
}

/** Parses `serve`'s arguments into Folk\Server options. */
function folk_cli_serve_options(array $args): array
{
    $flags = ['--worker' => 'worker', '--listen' => 'http.listen', '--fastcgi' => 'fastcgi.listen', '--grpc' => 'grpc.listen', '--workers' => 'workers.count', '--config' => 'config'];
    $given = [];
    $root = null;
    for ($i = 0; $i < count($args); $i++) {
        $arg = $args[$i];
        if ($arg === '--watch') {
            $given['watch.enabled'] = true;
        } elseif (str_starts_with($arg, '--')) {
            [$name, $value] = str_contains($arg, '=') ? explode('=', $arg, 2) : [$arg, $args[++$i] ?? null];
            if (!isset($flags[$name])) folk_cli_fail("unknown option $name");
            if ($value === null || $value === '') folk_cli_fail("$name needs a value");
            $given[$flags[$name]] = $value;
        } elseif ($root === null) {
            $root = $arg;
        } else {
            folk_cli_fail("serve takes one document root, got '$root' and '$arg'");
        }
    }
    $options = [];
    if (isset($given['config'])) {
        $file = $given['config'];
        if (!is_file($file)) folk_cli_fail("--config $file: no such file", 1);
        $options = require $file;
        if (!is_array($options)) folk_cli_fail("--config $file must return an options array, it returned " . get_debug_type($options), 1);
        unset($given['config']);
    }
    if ($root !== null) {
        $real = realpath($root);
        if ($real === false || !is_dir($real)) folk_cli_fail("the document root $root is not a directory", 1);
        $options['http']['root'] = $real;
    }
    foreach ($given as $key => $value) {
        // Dotted keys are accepted as they are; a flag beats the same key in --config.
        [$section, $name] = array_pad(explode('.', $key, 2), 2, null);
        if ($name === null) { $options[$section] = $value; } else { unset($options[$key]); $options[$section][$name] = $value; }
    }
    // `folk serve` survives a crash by default: a parent process holds the
    // sockets and restarts the server (README "Crash supervision").
    if (!isset($options['server']['supervise']) && !isset($options['server.supervise'])) $options['server']['supervise'] = true;
    // --fastcgi alone: the web server in front speaks HTTP, folk only FastCGI.
    if (isset($given['fastcgi.listen']) && !isset($given['http.listen']) && !isset($options['http']['enabled']) && !isset($options['http.enabled'])) {
        $options['http']['enabled'] = false;
    }
    $fastcgi_only = ($options['http']['enabled'] ?? $options['http.enabled'] ?? true) === false && (isset($options['fastcgi']['listen']) || isset($options['fastcgi.listen']));
    if (!isset($options['worker']) && !isset($options['http']['root']) && !isset($options['http.root']) && !$fastcgi_only) {
        folk_cli_fail('serve needs a document root, a --worker, or both (or --fastcgi, where the web server names the scripts)');
    }
    // A framework's worker branches on PHP_SAPI, which the main php-cli thread keeps as "cli":
    // only thread workers serve, unless the configuration says otherwise.
    if (isset($options['worker']) && !isset($options['server']['main_worker']) && !isset($options['server.main_worker'])) {
        $options['server']['main_worker'] = false;
    }
    return $options;
}

/** The admin address from `--admin ADDR`, else FOLK_METRICS_LISTEN, else the default. */
function folk_cli_admin_addr(string $command, array $args): string
{
    $addr = null;
    for ($i = 0; $i < count($args); $i++) {
        $arg = $args[$i];
        [$name, $value] = str_starts_with($arg, '--admin=') ? explode('=', $arg, 2) : [$arg, $args[++$i] ?? null];
        if ($name !== '--admin') folk_cli_fail(str_starts_with($name, '-') ? "unknown option $name" : "$command takes no argument '$name'");
        if ($value === null || $value === '') folk_cli_fail("--admin needs a value");
        $addr = $value;
    }
    $addr ??= getenv('FOLK_METRICS_LISTEN') ?: '127.0.0.1:9090';
    return preg_replace('~^http://~', '', rtrim($addr, '/'));
}

/**
 * One request to a server's metrics port, over a plain stream socket (no curl
 * needed). Returns [status, body]; fails with exit 1 when nothing answers.
 */
function folk_cli_admin(string $addr, string $method, string $path): array
{
    $conn = @stream_socket_client("tcp://$addr", $errno, $errstr, 3.0);
    if ($conn === false) {
        folk_cli_fail("no folk server answers at $addr ($errstr); is it running with metrics.listen = $addr? (--admin ADDR or FOLK_METRICS_LISTEN)", 1);
    }
    stream_set_timeout($conn, 10);
    fwrite($conn, "$method $path HTTP/1.1\r\nHost: $addr\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    $response = stream_get_contents($conn);
    fclose($conn);
    if (!is_string($response) || !preg_match('~^HTTP/1\.[01] (\d{3})~', $response, $m)) {
        folk_cli_fail("$addr did not answer $method $path with HTTP; is it folk's metrics.listen?", 1);
    }
    $body = explode("\r\n\r\n", $response, 2)[1] ?? '';
    return [(int) $m[1], $body];
}

/** The JSON answer of a successful admin request, or exit 1 saying what came instead. */
function folk_cli_admin_json(string $addr, string $method, string $path, int $expect): array
{
    [$status, $body] = folk_cli_admin($addr, $method, $path);
    $data = json_decode($body, true);
    if ($status !== $expect || !is_array($data)) {
        folk_cli_fail("$method http://$addr$path answered $status: " . trim($body) . ($status === 404 ? ' (a folk without the admin endpoints?)' : ''), 1);
    }
    return $data;
}

function folk_cli_duration(float $secs): string
{
    return match (true) {
        $secs < 60 => sprintf('%.1fs', $secs),
        $secs < 3600 => sprintf('%dm%02ds', intdiv((int) $secs, 60), (int) $secs % 60),
        default => sprintf('%dh%02dm', intdiv((int) $secs, 3600), intdiv((int) $secs % 3600, 60)),
    };
}

function folk_cli_bytes(int $n): string
{
    return $n >= 1048576 ? sprintf('%.1f MB', $n / 1048576) : ($n >= 1024 ? sprintf('%d KB', intdiv($n, 1024)) : "$n B");
}

/** `folk status`: the /workers page as a table, one line per worker. */
function folk_cli_status(array $page): string
{
    $health = $page['healthy'] ? 'healthy' : 'UNHEALTHY: ' . ($page['health_reason'] ?? '?');
    $out = sprintf("generation %d, %d queued, %s\n", $page['generation'], $page['queue_depth'], $health);
    $row = "%-4s %-12s %-10s %-10s %-9s %-9s %-9s %s\n";
    $out .= sprintf($row, 'ID', 'KIND', 'STATE', 'JOB', 'RUNNING', 'AGE', 'MEMORY', 'JOBS');
    foreach ($page['workers'] as $w) {
        $job = $w['job'] ?? null;
        $out .= sprintf(
            $row,
            $w['id'],
            $w['kind'],
            $w['state'],
            $job ? $job['method'] : '-',
            $job ? folk_cli_duration($job['secs']) : '-',
            folk_cli_duration($w['age_secs']),
            folk_cli_bytes($w['memory']),
            $w['jobs_total'],
        );
    }
    return $out;
}

$args = array_slice($argv, 1);
$command = array_shift($args) ?? 'help';
switch ($command) {
    case 'version':
    case '--version':
        printf("folk %s (PHP %s%s)\n", folk_version(), PHP_VERSION, PHP_ZTS ? ' ZTS' : '');
        exit(0);
    case 'help':
    case '--help':
    case '-h':
        echo FOLK_USAGE, "\n";
        exit(0);
    case 'serve':
        $options = folk_cli_serve_options($args);
        try {
            $server = new Folk\Server($options);
            $server->run();
        } catch (Folk\Exception\FolkException $e) {
            folk_cli_fail($e->getMessage(), 1);
        }
        exit(0);
    case 'status':
        $addr = folk_cli_admin_addr($command, $args);
        echo folk_cli_status(folk_cli_admin_json($addr, 'GET', '/workers', 200));
        exit(0);
    case 'reload':
        $addr = folk_cli_admin_addr($command, $args);
        $answer = folk_cli_admin_json($addr, 'POST', '/reload', 202);
        echo "reloading: generation {$answer['generation']}\n";
        exit(0);
    default:
        folk_cli_fail("unknown command '$command'");
}
