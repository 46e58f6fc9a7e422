<?php
// The `folk` command's PHP side (bin/folk runs it with folk loaded): reads the
// command line, builds the options of a Folk\Server and runs it. Exit codes:
// 0 clean stop, 1 the server could not start, 2 a bad command line.

const FOLK_USAGE = <<<'TXT'
Usage:
  folk serve [ROOT] [--worker FILE] [--listen ADDR] [--fastcgi ADDR] [--workers N] [--config FILE]
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
  --workers N     PHP worker threads (default: the number of CPUs)
  --config FILE   a PHP file returning an options array (README "Options");
                  the flags above win over it
Options also come from folk.* INI directives and FOLK_* environment variables.
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
    $flags = ['--worker' => 'worker', '--listen' => 'http.listen', '--fastcgi' => 'fastcgi.listen', '--workers' => 'workers.count', '--config' => 'config'];
    $given = [];
    $root = null;
    for ($i = 0; $i < count($args); $i++) {
        $arg = $args[$i];
        if (str_starts_with($arg, '--')) {
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
    default:
        folk_cli_fail("unknown command '$command'");
}
