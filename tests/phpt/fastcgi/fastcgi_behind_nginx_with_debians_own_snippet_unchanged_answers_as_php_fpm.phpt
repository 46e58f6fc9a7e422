--TEST--
Debian's nginx with its own snippets/fastcgi-php.conf (and through it fastcgi.conf) included unchanged, as Debian's default site does, passes to folk's FastCGI socket exactly as to php-fpm's: a script, a path info, a query, a POST form, a missing script (nginx's 404) and a script with a trailing slash give the same answers
--SKIPIF--
<?php require __DIR__ . "/../../fixtures/fpm_reference.php"; if ($why = fpm_reference_unavailable()) echo "skip $why"; elseif (!is_file('/etc/nginx/snippets/fastcgi-php.conf')) echo "skip Debian's nginx snippet is missing"; ?>
--FILE--
<?php
require __DIR__ . '/../../fixtures/fpm_reference.php';
$dump = '<?php $k = ["SCRIPT_FILENAME", "SCRIPT_NAME", "PATH_INFO", "PATH_TRANSLATED", "PHP_SELF", "REQUEST_URI", "QUERY_STRING", "DOCUMENT_ROOT", "DOCUMENT_URI", "HTTP_HOST", "SERVER_NAME", "REQUEST_METHOD", "CONTENT_TYPE", "CONTENT_LENGTH", "REDIRECT_STATUS", "FCGI_ROLE"];
    $o = []; foreach ($k as $n) $o[$n] = $_SERVER[$n] ?? "(none)";
    echo json_encode($o + ["get" => $_GET, "post" => $_POST], JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES);';
$root = realpath(folk_docroot(['s.php' => $dump, 'dir/t.php' => $dump]));
$ini = fpm_shared_ini(sys_get_temp_dir());

/** Debian's default site's PHP location, as /etc/nginx/sites-available/default has it commented out, with `$upstream`. */
function snippet_site(string $root, string $run, string $upstream): array
{
    $port = folk_free_port();
    $root_user = posix_geteuid() === 0;
    file_put_contents("$run/nginx.conf", ($root_user ? "user root;\n" : '') . <<<EOF
worker_processes 1;
daemon off;
pid $run/nginx.pid;
error_log $run/nginx-error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  include /etc/nginx/mime.types;
  client_body_temp_path $run/tmp/body;
  fastcgi_temp_path $run/tmp/fastcgi;
  proxy_temp_path $run/tmp/proxy;
  scgi_temp_path $run/tmp/scgi;
  uwsgi_temp_path $run/tmp/uwsgi;
  server {
    listen 127.0.0.1:$port;
    server_name _;
    root $root;
    index index.php index.html;
    location / { try_files \$uri \$uri/ =404; }
    location ~ \.php\$ {
      include snippets/fastcgi-php.conf;
      fastcgi_pass $upstream;
    }
  }
}
EOF);
    // Relative includes resolve against the configuration's directory: the snippet and the
    // fastcgi.conf it includes are linked there, Debian's own files as they are.
    @symlink('/etc/nginx/snippets', "$run/snippets");
    @symlink('/etc/nginx/fastcgi.conf', "$run/fastcgi.conf");
    $nginx = proc_open(['/usr/sbin/nginx', '-p', $run, '-e', "$run/nginx-error.log", '-c', "$run/nginx.conf"],
        [0 => ['pipe', 'r'], 1 => ['file', "$run/nginx.out", 'a'], 2 => ['file', "$run/nginx.out", 'a']], $pipes);
    $h = ['nginx' => $nginx, 'port' => $port, 'run' => $run, 'root' => $root];
    for ($i = 0; $i < 250 && !($c = @stream_socket_client("tcp://127.0.0.1:$port", $e, $s, 0.2)); $i++) usleep(20000);
    if (!$c) { echo "nginx did not start: ", @file_get_contents("$run/nginx-error.log"), @file_get_contents("$run/nginx.out"); fpm_stop($h); exit(1); }
    fclose($c);
    return $h;
}

// php-fpm, started as the comparison suite starts it, then its own nginx on the snippet.
$fpm = fpm_start($root, $ini);
$fpm_site = snippet_site($root, fpm_run_dir(), "unix:{$fpm['run']}/php-fpm.sock");
// folk, FastCGI only, classic mode, on a unix socket.
$run = fpm_run_dir();
$folk = folk_start_server(['worker' => null, 'workers' => ['count' => 1], 'http' => ['enabled' => false],
    'fastcgi' => ['listen' => "unix:$run/folk.sock", 'socket_mode' => '0666']], [], $ini, false);
for ($i = 0; $i < 250 && !@stream_socket_client("unix://$run/folk.sock", $e, $s, 0.2); $i++) usleep(20000);
$folk_site = snippet_site($root, $run, "unix:$run/folk.sock");

$requests = [
    ['GET', '/s.php?a=1&b[]=2', [], ''],
    ['GET', '/dir/t.php/extra/path?x=%20y', [], ''],
    ['POST', '/s.php', ['content-type' => 'application/x-www-form-urlencoded'], 'name=folk&n=2'],
    ['GET', '/missing.php', [], ''],
    ['GET', '/s.php/', [], ''],
];
// folk's $_SERVER also holds its process environment (docs/CLASSIC.md), and run-tests.php puts a
// PATH_TRANSLATED there: where the web server sent none, that value is the environment's, not a param.
$env_only = ['"PATH_TRANSLATED": ' . json_encode((string) getenv('PATH_TRANSLATED'), JSON_UNESCAPED_SLASHES) => '"PATH_TRANSLATED": "(none)"'];
foreach ($requests as [$method, $path, $headers, $body]) {
    $answer = folk_http($folk_site['port'], $method, $path, $headers, $body);
    $answer[2] = strtr($answer[2], $env_only);
    fpm_compare("$method $path", ['folk' => $answer, 'fpm' => folk_http($fpm_site['port'], $method, $path, $headers, $body)]);
}
fpm_stop($fpm_site);
fpm_stop($folk_site);
fpm_stop($fpm);
folk_stop_server($folk);
?>
--EXPECT--
same: GET /s.php?a=1&b[]=2
same: GET /dir/t.php/extra/path?x=%20y
same: POST /s.php
same: GET /missing.php
same: GET /s.php/
