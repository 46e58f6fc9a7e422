#!/usr/bin/env bash
# Real applications, not hello worlds: page views of MediaWiki, WordPress and DokuWiki as Debian
# packages them, served unmodified by folk's classic mode and by php-fpm behind nginx, with the
# server's CPU time per request. It is how folk's claim to be a php-fpm drop-in is measured on the
# code people actually run (the speed issue's "MediaWiki and WordPress page views from Debian's
# packages, folk classic against php-fpm").
#
# Each app is installed from Debian with apt-get if missing and set up in the run's temp dir:
# MediaWiki by its maintenance/install.php on SQLite (LocalSettings.php found through MediaWiki's
# own MW_CONFIG_FILE variable), WordPress on a MariaDB server started here on a private socket,
# port and datadir (its config reached through Debian's /etc/wordpress/config-<host>.php, a
# symlink that exists only while the run does), DokuWiki as installed. Nothing under
# /usr/share/<app> is written. Then, one app at a time: php-fpm (pm.max_children 2) behind nginx
# and folk classic (workers.count 2; its main thread never serves) on the app's directory, both
# reading Debian's php-fpm php.ini (php.ini-production) with the same overrides (opcache on,
# opcache.validate_timestamps=0, date.timezone=UTC, ...), checked from inside a request on both;
# the page checked on both (status 200, the same <title>, body lengths within 3%); then
# WRK_ROUNDS interleaved rounds. Per app and server: median req/s, p99, CPU µs/request of all the
# server's processes (and of MariaDB for WordPress), memory; folk/fpm ratios per round and median.
# Prints a markdown report on stdout; progress goes to stderr.
#
#   WRK_CONNECTIONS=16 WRK_DURATION=5s WRK_THREADS=2 WRK_WARMUP=2s WRK_ROUNDS=3
#                    wrk settings; each round runs both servers once per app, the order
#                    swapped from round to round; the warm-up before every measured run keeps
#                    the apps' opcache and caches warm
#   BENCH_APPS="mediawiki wordpress dokuwiki"  the apps to run, in this order
#   APPS_FOLK_OPTIONS  more options for folk, as PHP array items (e.g. "'http.direct' => true")
#   BENCH_HTTP_RAW_DIR  if set, raw wrk outputs, configs, server logs and the checked pages are
#                    copied there
# Ports, 127.0.0.1 only: 18201 nginx -> php-fpm, 18202 folk classic, 18203 MariaDB.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WRK_CONNECTIONS=${WRK_CONNECTIONS:-16}
WRK_DURATION=${WRK_DURATION:-5s}
WRK_WARMUP=${WRK_WARMUP:-2s}
# shellcheck source=SCRIPTDIR/../http/stack.sh
source "$ROOT/bench/http/stack.sh"
# shellcheck source=SCRIPTDIR/../http/wrk.sh
source "$ROOT/bench/http/wrk.sh"
# shellcheck source=SCRIPTDIR/../http/measure.sh
source "$ROOT/bench/http/measure.sh"
log() { printf '[bench/apps] %s\n' "$*" >&2; }

PHP=$ROOT/.php/bin/php
EXT=$ROOT/target/release/libfolk.so
NTS_PHP=php8.2
FPM_INI=/etc/php/8.2/fpm/php.ini
WORKERS=2
read -r -a APPS <<<"${BENCH_APPS:-mediawiki wordpress dokuwiki}"
HZ=$(getconf CLK_TCK)
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
WP_HOST=folk-bench-wordpress
WP_CONFIG_LINK=/etc/wordpress/config-$WP_HOST.php
DB_PORT=18203

#        target  app        URL
TARGETS=(
  "fpm   ini        http://127.0.0.1:18201/ini.php"
  "fpm   mediawiki  http://127.0.0.1:18201/index.php?title=Main_Page"
  "fpm   wordpress  http://127.0.0.1:18201/"
  "fpm   dokuwiki   http://127.0.0.1:18201/doku.php?id=start"
  "folk  ini        http://127.0.0.1:18202/ini.php"
  "folk  mediawiki  http://127.0.0.1:18202/index.php?title=Main_Page"
  "folk  wordpress  http://127.0.0.1:18202/"
  "folk  dokuwiki   http://127.0.0.1:18202/doku.php?id=start"
)
declare -A LABEL=([fpm]="php-fpm + nginx" [folk]="folk classic" [mediawiki]=MediaWiki [wordpress]=WordPress [dokuwiki]=DokuWiki)
declare -A APP_DIR=([mediawiki]=/usr/share/mediawiki [wordpress]=/usr/share/wordpress [dokuwiki]=/usr/share/dokuwiki)
declare -A APP_PACKAGES=(
  [mediawiki]="mediawiki php8.2-sqlite3"
  [wordpress]="wordpress wordpress-theme-twentytwentythree mariadb-server php8.2-mysql"
  [dokuwiki]="dokuwiki"
)
declare -A APP_HOST=([wordpress]=$WP_HOST)   # the Host header an app is asked with, if not 127.0.0.1:port
declare -A APP_ENV                           # app -> NAME=value in both servers' environment
for app in "${APPS[@]}"; do [[ -n ${APP_DIR[$app]:-} ]] || die "unknown app '$app' in BENCH_APPS (mediawiki, wordpress, dokuwiki)"; done

# ---- php.ini: both servers read Debian's php-fpm php.ini (php.ini-production), plus these ------
RUN=$(mktemp -d /tmp/folk-bench-apps.XXXXXX)
# (opcache.enable=1 is php-fpm's pool setting in bench/http/stack.sh and PHP's default for folk.)
INI=(
  opcache.validate_timestamps=0
  opcache.jit=off
  memory_limit=128M
  date.timezone=UTC
  output_buffering=4096
  "session.save_path=$RUN/sessions"
)
# What ini.php prints from inside a request, on both servers: it must be the same.
INI_SHOWN=(opcache.validate_timestamps opcache.memory_consumption opcache.interned_strings_buffer
  opcache.max_accelerated_files opcache.jit memory_limit date.timezone output_buffering zend.assertions
  error_reporting display_errors max_execution_time realpath_cache_size session.save_path
  session.gc_probability)

declare -A ROOTS # target -> its top processes (their descendants are found at measure time)
BG_PID=
DB_PID=          # MariaDB, while WordPress runs
FOLK_PID=        # folk, while an app runs (php-fpm's and nginx's are in STACK_PIDS)
FOLK_CMD=
WP_LINKED=0

# start_bg NAME PORT LOG CMD...: a server in its own process group, in wrk's session (see
# bench/http/run.sh), its output in LOG; waits for PORT; its pid in BG_PID.
start_bg() {
  local name=$1 port=$2 out=$3
  shift 3
  log "starting $name on 127.0.0.1:$port: $*"
  set -m
  "$@" >"$out" 2>&1 </dev/null &
  BG_PID=$!
  set +m
  wait_port "$port" 60 "$BG_PID" || { tail -n 30 "$out" >&2; die "$name did not listen on 127.0.0.1:$port"; }
}

# ---- MediaWiki: installed on SQLite into $RUN/mediawiki -----------------------------------------
setup_mediawiki() {
  local d=$RUN/mediawiki
  mkdir -p "$d/data"
  log "installing MediaWiki on SQLite in $d (maintenance/install.php)"
  (cd /usr/share/mediawiki && "$NTS_PHP" maintenance/install.php --dbtype=sqlite --dbpath="$d/data" \
    --dbname=folkbench --confpath="$d" --server=http://127.0.0.1 --scriptpath= --lang=en \
    --pass=folk-bench-admin-pw --skins=Vector "Folk Bench Wiki" Admin) >"$d/install.log" 2>&1 \
    || { tail -n 30 "$d/install.log" >&2; die "MediaWiki's install.php failed"; }
  APP_ENV[mediawiki]="MW_CONFIG_FILE=$d/LocalSettings.php"
  # Jobs the install queued are run now, not by the first page views of one server.
  env "${APP_ENV[mediawiki]}" "$NTS_PHP" /usr/share/mediawiki/maintenance/runJobs.php >>"$d/install.log" 2>&1 \
    || { tail -n 30 "$d/install.log" >&2; die "MediaWiki's runJobs.php failed"; }
}

# ---- WordPress: MariaDB on a private socket, port and datadir; wp_install() ---------------------
setup_wordpress() {
  local d=$RUN/wordpress sock=$RUN/wordpress/mysqld.sock pw=folk-bench-db-pw
  mkdir -p "$d"
  log "creating a MariaDB datadir in $d/db (mariadb-install-db)"
  mariadb-install-db --no-defaults --datadir="$d/db" --user=root --auth-root-authentication-method=socket \
    --skip-test-db >"$d/db-install.log" 2>&1 || { tail -n 30 "$d/db-install.log" >&2; die "mariadb-install-db failed"; }
  start_bg mariadb "$DB_PORT" "$d/mariadb.log" /usr/sbin/mariadbd --no-defaults --datadir="$d/db" --socket="$sock" \
    --port="$DB_PORT" --bind-address=127.0.0.1 --user=root --pid-file="$d/mysqld.pid" --skip-name-resolve
  DB_PID=$BG_PID
  mariadb --no-defaults --socket="$sock" -u root -e "CREATE DATABASE wordpress;
    CREATE USER 'wordpress'@'localhost' IDENTIFIED BY '$pw';
    GRANT ALL ON wordpress.* TO 'wordpress'@'localhost';" || die "could not create WordPress's database"

  cat >"$d/wp-config.php" <<PHP
<?php
// Written by folk's bench/apps/run.sh for one run, reached through $WP_CONFIG_LINK
// (Debian's /usr/share/wordpress/wp-config.php picks it by the Host header).
define('DB_NAME', 'wordpress');
define('DB_USER', 'wordpress');
define('DB_PASSWORD', '$pw');
define('DB_HOST', 'localhost:$sock');
// The same URLs whichever server answers.
define('WP_HOME', 'http://$WP_HOST');
define('WP_SITEURL', 'http://$WP_HOST');
// Page views do no background work and no HTTP (no cron spawning, no update checks).
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
PHP
  # A leftover of a run that was killed points into a /tmp/folk-bench-apps.* dir: replace it.
  if [[ -e $WP_CONFIG_LINK || -L $WP_CONFIG_LINK ]]; then
    [[ -L $WP_CONFIG_LINK && $(readlink "$WP_CONFIG_LINK") == /tmp/folk-bench-apps.*/wordpress/wp-config.php ]] \
      || die "$WP_CONFIG_LINK exists and is not this benchmark's: not touching it"
    rm -f "$WP_CONFIG_LINK"
  fi
  ln -s "$d/wp-config.php" "$WP_CONFIG_LINK"
  WP_LINKED=1

  log "installing WordPress into MariaDB (wp_install())"
  cat >"$d/install.php" <<'PHP'
<?php
$_SERVER['HTTP_HOST'] = $argv[1];
$_SERVER['REQUEST_URI'] = '/';
define('WP_INSTALLING', true);
require '/usr/share/wordpress/wp-load.php';
require ABSPATH . 'wp-admin/includes/upgrade.php';
add_filter('pre_http_request', fn() => new WP_Error('folk-bench', 'no HTTP during the install'));
$r = wp_install('Folk Bench Blog', 'admin', 'admin@example.test', true, '', 'folk-bench-admin-pw');
if (is_wp_error($r) || empty($r['user_id'])) {
    fwrite(STDERR, "wp_install failed\n");
    exit(1);
}
echo "installed, theme ", get_option('stylesheet'), "\n";
PHP
  "$NTS_PHP" "$d/install.php" "$WP_HOST" >"$d/install.log" 2>&1 \
    || { tail -n 30 "$d/install.log" >&2; die "WordPress's install failed"; }
  [[ -f /usr/share/wordpress/wp-content/themes/$(sed -n 's/^installed, theme //p' "$d/install.log")/style.css ]] \
    || die "WordPress's theme is not installed (wordpress-theme-twentytwentythree): the home page would be empty"
}

# DokuWiki needs nothing: Debian's package serves its start page as installed (its render cache
# and the PHP sessions it starts for every visitor are shared by both servers).
setup_dokuwiki() { :; }

# ---- one app's pair of servers ----------------------------------------------------------------
# start_pair APP DOCROOT: php-fpm + nginx on 18201 and folk classic on 18202, both on DOCROOT, with
# APP's environment, in a fresh $STACK_RUN.
start_pair() {
  local app=$1 docroot=$2 run v unset=()
  STACK_RUN=$RUN/$app/stack
  run=$STACK_RUN
  mkdir -p "$run/tmp"
  stack_write_fpm_conf "$WORKERS"
  for v in "${INI[@]}"; do printf 'php_admin_value[%s] = %s\n' "${v%%=*}" "${v#*=}"; done >>"$run/php-fpm.conf"
  [[ -n ${APP_ENV[$app]:-} ]] && printf 'env[%s] = %s\n' "${APP_ENV[$app]%%=*}" "${APP_ENV[$app]#*=}" >>"$run/php-fpm.conf"
  # Debian's fastcgi_params without its `HTTP_HOST $host` line, as bench/http/classic.sh.
  grep -v 'HTTP_HOST' /etc/nginx/fastcgi_params >"$run/fastcgi_params"
  { stack_nginx_head; cat <<EOF

  # php-fpm behind nginx: the front-controller setup the apps document
  server {
    listen 127.0.0.1:18201 backlog=4096;
    # SERVER_NAME as folk sets it, the requested host (WordPress compares assets' hosts with it)
    server_name ${APP_HOST[$app]:-127.0.0.1};
    root $docroot;
    index index.php;
    location / { try_files \$uri \$uri/ /index.php\$is_args\$args; }
    location ~ \.php\$ {
      try_files \$uri =404;
      include $run/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_pass unix:$run/php-fpm.sock;
    }
  }
}
EOF
  } >"$run/nginx.conf"
  log "starting php-fpm (pm=static, max_children=$WORKERS) and nginx on 127.0.0.1:18201 for $app ($docroot)"
  stack_run_fpm_nginx 18201
  ROOTS[fpm]="${STACK_PIDS[*]}"

  cat >"$run/folk-server.php" <<PHP
<?php
(new Folk\Server(['http.root' => '$docroot', 'http.listen' => '127.0.0.1:18202', 'workers.count' => $WORKERS, 'log.level' => 'info'${APPS_FOLK_OPTIONS:+, $APPS_FOLK_OPTIONS}]))->run();
PHP
  # Every FOLK_* variable is removed from its environment, so the options written here are the ones in force.
  for v in $(compgen -e | grep '^FOLK_' || true); do unset+=(-u "$v"); done
  FOLK_CMD="$PHP -c $FPM_INI -d zend_extension=opcache -d opcache.enable_cli=1$(printf ' -d %s' "${INI[@]}") -d extension=$EXT $run/folk-server.php"
  # shellcheck disable=SC2086 # FOLK_CMD is words without spaces inside them
  start_bg folk 18202 "$run/folk.log" env ${unset[@]+"${unset[@]}"} ${APP_ENV[$app]:-} $FOLK_CMD
  FOLK_PID=$BG_PID
  ROOTS[folk]=$FOLK_PID
}

stop_pair() {
  local app=$1
  stop_pid "$FOLK_PID" 1
  FOLK_PID=
  stack_stop
  if [[ -n ${BENCH_HTTP_RAW_DIR:-} ]]; then
    mkdir -p "$BENCH_HTTP_RAW_DIR/$app"
    cp "$STACK_RUN"/*.txt "$STACK_RUN"/*.log "$STACK_RUN"/*.conf "$STACK_RUN"/*.html "$STACK_RUN"/folk-server.php \
      "$BENCH_HTTP_RAW_DIR/$app"/ 2>/dev/null || true
  fi
}

# get TARGET APP FILE: GET the app's page into FILE, with the app's Host header; prints the status.
get() {
  local host=()
  [[ -n ${APP_HOST[$2]:-} ]] && host=(-H "Host: ${APP_HOST[$2]}")
  curl -sS --max-time 30 ${host[@]+"${host[@]}"} -o "$3" -w '%{http_code}' "$(url_of "$1" "$2")" || echo 000
}
title_of() { grep -o '<title>[^<]*</title>' "$1" | head -n1 | sed 's/<[^>]*>//g'; }
# MediaWiki's parser cache entry a page was served from ("cachereport":{"timestamp":"...").
parsed_at() { grep -o '"cachereport":{"timestamp":"[0-9]*"' "$1" | grep -o '[0-9]\{14\}' || echo none; }

# check_page APP: status 200 on both servers, the same <title>, body lengths within 3% (MediaWiki's
# pages embed a request id and the time they took, so bytes may differ); for MediaWiki the same
# parser cache entry. Whether the bodies are byte for byte the same is reported.
declare -A CHECKED
check_page() {
  local app=$1 t s b=() n=() extra=
  for t in fpm folk; do get "$t" "$app" /dev/null >/dev/null; done  # fills the apps' own caches
  for t in fpm folk; do
    s=$(get "$t" "$app" "$STACK_RUN/page-$t.html")
    [[ $s == 200 ]] || { head -c 2000 "$STACK_RUN/page-$t.html" >&2; die "${LABEL[$app]}: ${LABEL[$t]} answers $s for $(url_of "$t" "$app")"; }
    b+=("$(title_of "$STACK_RUN/page-$t.html")")
    n+=("$(wc -c <"$STACK_RUN/page-$t.html")")
  done
  [[ -n ${b[0]} && ${b[0]} == "${b[1]}" ]] || die "${LABEL[$app]}: titles differ: '${b[0]}' (fpm) vs '${b[1]}' (folk)"
  awk -v a="${n[0]}" -v b="${n[1]}" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 0.03 * a) }' \
    || die "${LABEL[$app]}: bodies of ${n[0]} (fpm) and ${n[1]} (folk) bytes differ by more than 3%"
  if [[ $app == mediawiki ]]; then
    s=$(parsed_at "$STACK_RUN/page-fpm.html")
    [[ $s != none && $s == "$(parsed_at "$STACK_RUN/page-folk.html")" ]] \
      || die "MediaWiki: the two servers did not serve the page from the same parser cache entry"
    extra=", both from the parser cache entry of $s"
  fi
  cmp -s "$STACK_RUN/page-fpm.html" "$STACK_RUN/page-folk.html" && extra+=", byte for byte the same"
  CHECKED[$app]="200 on both, <title> \`${b[0]}\`, ${n[0]} bytes (fpm) and ${n[1]} bytes (folk)$extra"
  log "${LABEL[$app]}: ${CHECKED[$app]}"
}

# ---- measuring (bench/http/measure.sh) ----------------------------------------------------------
mem_kind() { [[ $1 == folk ]] && echo RSS || echo PSS; }
per_request() { awk -v d="$1" -v hz="$HZ" -v n="$2" 'BEGIN { printf "%.0f", (n > 0 ? d * 1e6 / hz / n : 0) }'; }

# measure TARGET APP ROUND: warm up, then one measured wrk run (R_*), with the server's CPU time per
# request over it (C_*, µs), the database server's (D_*, µs, WordPress) and memory after it (M_*, KiB).
measure() {
  local t=$1 e=$2 r=$3 pids before after db0=0 db1=0 p n
  # shellcheck disable=SC2086 # ROOTS holds a list of pids
  read -r -a pids <<<"$(tree_pids ${ROOTS[$t]})"
  WRK_EXTRA=()
  [[ -n ${APP_HOST[$e]:-} ]] && WRK_EXTRA=(-H "Host: ${APP_HOST[$e]}")
  wrk_warmup "$t" "$e"
  before=$(cpu_ticks "${pids[@]}")
  [[ -n $DB_PID ]] && db0=$(cpu_ticks "$DB_PID")
  wrk_measure "$t" "$e" "$r"
  after=$(cpu_ticks "${pids[@]}")
  [[ -n $DB_PID ]] && db1=$(cpu_ticks "$DB_PID")
  for p in "${pids[@]}" $DB_PID; do
    [[ -e /proc/$p ]] || die "${LABEL[$t]}: process $p ended during ${LABEL[$e]} round $r (its log: folk.log, php-fpm.log, nginx-error.log or mariadb.log); its CPU time and memory cannot be measured"
  done
  n=$(field "$t" "$e" "$r" 3)
  printf -v "C_${t}_${e}_${r}" '%s' "$(per_request $((after - before)) "$n")"
  printf -v "D_${t}_${e}_${r}" '%s' "$([[ -n $DB_PID ]] && per_request $((db1 - db0)) "$n" || echo -)"
  printf -v "M_${t}_${e}_${r}" '%s' "$(mem_kib "$(mem_kind "$t")" "${pids[@]}")"
  log "  -> server CPU $(var C "$t" "$e" "$r") µs/request (database $(var D "$t" "$e" "$r")), $(mem_kind "$t") $(var M "$t" "$e" "$r") KiB"
}
var() { local v="$1_$2_$3_$4"; echo "${!v}"; }

cleanup() {
  local rc=$? p
  trap - EXIT INT TERM
  # BG_PID: a server that did not come up (folk's and MariaDB's are FOLK_PID and DB_PID once they do)
  for p in $BG_PID $FOLK_PID $DB_PID; do stop_pid "$p" 1; done
  stack_stop
  if ((WP_LINKED)) && [[ -L $WP_CONFIG_LINK && $(readlink "$WP_CONFIG_LINK") == "$RUN/wordpress/wp-config.php" ]]; then
    rm -f "$WP_CONFIG_LINK"
  fi
  if [[ -n ${BENCH_HTTP_RAW_DIR:-} ]]; then
    for app in "${APPS[@]}"; do
      [[ -d $RUN/$app ]] || continue
      mkdir -p "$BENCH_HTTP_RAW_DIR/$app"
      cp "$RUN/$app"/*.log "$RUN/$app"/*.php "$BENCH_HTTP_RAW_DIR/$app"/ 2>/dev/null || true
    done
  fi
  rm -rf "$RUN"
  log "torn down"
  exit "$rc"
}

# ---- set up -------------------------------------------------------------------------------------
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
((EUID == 0)) || die "run as root: it installs Debian packages, links $WP_CONFIG_LINK and runs mariadbd --user=root"
[[ -x $PHP && -f $EXT ]] || die "no $PHP or $EXT: run 'make build' first"
packages=()
for app in "${APPS[@]}"; do read -r -a p <<<"${APP_PACKAGES[$app]}"; packages+=("${p[@]}"); done
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
had_mariadb=0
installed mariadb-server && had_mariadb=1
stack_install_deps php8.2-cli "${packages[@]}"
# Debian may start MariaDB as a service when it installs it; only the private server below is used.
if ((!had_mariadb)) && installed mariadb-server; then service mariadb stop >/dev/null 2>&1 || true; fi
[[ -f $FPM_INI ]] || die "no $FPM_INI"
stack_check_ports_free 18201 18202 "$DB_PORT"
mkdir -p "$RUN/sessions"

# The php.ini values both servers run the apps with, from inside a request on each.
mkdir -p "$RUN/ini/root"
{
  printf "<?php\n\$keys = [%s];\n" "$(printf "'%s', " "${INI_SHOWN[@]}")"
  cat <<'PHP'
foreach ($keys as $k) echo $k, '=', ini_get($k), ' ';
$s = function_exists('opcache_get_status') ? opcache_get_status(false) : false;
echo 'opcache=', $s && $s['opcache_enabled'] ? 'on' : 'off', ' jit=', $s && !empty($s['jit']['on']) ? 'on' : 'off';
PHP
} >"$RUN/ini/root/ini.php"
start_pair ini "$RUN/ini/root"
INI_FPM=$(curl -fsS --max-time 10 "$(url_of fpm ini)") || die "GET $(url_of fpm ini) failed"
INI_FOLK=$(curl -fsS --max-time 10 "$(url_of folk ini)") || die "GET $(url_of folk ini) failed"
[[ $INI_FPM == "$INI_FOLK" ]] || die "php.ini values differ: php-fpm: $INI_FPM; folk: $INI_FOLK"
[[ $INI_FPM == *"opcache=on"* ]] || die "opcache is off: $INI_FPM"
log "php.ini in a request on both: $INI_FPM"
FOLK_STARTED=$(folk_started "$STACK_RUN/folk.log")
stop_pair ini

# ---- measure, one app at a time -------------------------------------------------------------------
declare -A VERSION
for app in "${APPS[@]}"; do
  VERSION[$app]=$(dpkg-query -W -f='${Version}' "$app")
  "setup_$app"
  start_pair "$app" "${APP_DIR[$app]}"
  check_page "$app"
  for ((round = 1; round <= WRK_ROUNDS; round++)); do
    if ((round % 2)); then order=(fpm folk); else order=(folk fpm); fi
    for t in "${order[@]}"; do measure "$t" "$app" "$round"; done
  done
  stop_pair "$app"
  if [[ -n $DB_PID ]]; then stop_pid "$DB_PID" 1; DB_PID=; fi
done

# ---- report ---------------------------------------------------------------------------------------
# row TARGET APP: the round with the median req/s, the median CPU per request, the highest memory.
# shellcheck disable=SC2046 # median takes the rounds' values as words
row() {
  local t=$1 e=$2 rec rps p50 p99 reqs errs cpu db mem rounds r
  rec="R_${t}_${e}_$(median_round "$t" "$e")"
  read -r rps p50 p99 reqs errs <<<"${!rec}"
  cpu=$(median $(for ((r = 1; r <= WRK_ROUNDS; r++)); do var C "$t" "$e" "$r"; done))
  db=-
  [[ $e == wordpress ]] && db=$(median $(for ((r = 1; r <= WRK_ROUNDS; r++)); do var D "$t" "$e" "$r"; done))
  mem=$(for ((r = 1; r <= WRK_ROUNDS; r++)); do var M "$t" "$e" "$r"; done | sort -g | tail -n1)
  rounds=$(for ((r = 1; r <= WRK_ROUNDS; r++)); do field "$t" "$e" "$r" 0; done | paste -sd, - | sed 's/,/, /g')
  echo "| ${LABEL[$e]} | ${LABEL[$t]} | $rps | $p50 | $p99 | $cpu | $db | $(awk -v k="$mem" 'BEGIN { printf "%.1f", k / 1024 }') $(mem_kind "$t") | $reqs | $errs | $rounds |"
}
# cpu_ratios APP: folk's CPU µs/request over php-fpm's, "median (round 1, round 2, ...)".
cpu_ratios() {
  local r all=()
  for ((r = 1; r <= WRK_ROUNDS; r++)); do all+=("$(ratio "$(var C folk "$1" "$r")" "$(var C fpm "$1" "$r")")"); done
  echo "$(median "${all[@]}") ($(printf '%s\n' "${all[@]}" | paste -sd, - | sed 's/,/, /g'))"
}

echo "### Applications: folk classic vs php-fpm + nginx — wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency (after ${WRK_WARMUP} warm-up), $WRK_ROUNDS interleaved rounds"
echo
echo "wrk and the servers share this machine's $(nproc) cores, in one session (load average at the start: $LOADAVG; other work skews"
echo "every number); all traffic on 127.0.0.1. One app at a time, both servers on the app's Debian directory, unmodified;"
echo "each round measures both once, the order swapped every round, each run after its own ${WRK_WARMUP} warm-up."
echo
echo "- Apps (Debian packages): $(for app in "${APPS[@]}"; do printf '%s %s (\x60%s\x60), ' "${LABEL[$app]}" "${VERSION[$app]}" "${APP_DIR[$app]}"; done | sed 's/, $//')."
for app in "${APPS[@]}"; do
  case $app in
    mediawiki) echo "- MediaWiki: \`maintenance/install.php\` on SQLite (Vector, no object cache: the installer's defaults without APCu), its LocalSettings.php found through \`MW_CONFIG_FILE\` in both servers' environment; the queued jobs run before measuring; \`/index.php?title=Main_Page\` as an anonymous user, from the parser cache both servers share (in the SQLite DB)." ;;
    wordpress) echo "- WordPress: \`wp_install()\` into MariaDB $(dpkg-query -W -f='${Version}' mariadb-server) (its own datadir and socket, started here), theme Twenty Twenty-Three, cron spawning off (\`DISABLE_WP_CRON\`), no persistent object cache; the home page \`/\` with \`Host: $WP_HOST\` (its config is picked by host). The database column is MariaDB's CPU per request." ;;
    dokuwiki) echo "- DokuWiki: as installed, \`/doku.php?id=start\`; its render cache (\`/var/lib/dokuwiki/data/cache\`) is shared, and it starts a PHP session for each visitor (files in the run's temp dir, same for both)." ;;
  esac
done
echo "- **$WORKERS PHP workers on each side**: php-fpm $("$STACK_FPM_BIN" -v | head -n1 | awk '{print $2}') pm=static, \`pm.max_children\` $WORKERS, behind nginx $("$STACK_NGINX_BIN" -v 2>&1 | sed 's/.*nginx\///') (worker_processes=auto);"
echo "  folk classic \`workers.count\` $WORKERS (the main thread never serves in classic mode); folk says: \`$FOLK_STARTED\`."
echo "- **php.ini**: both read Debian's \`$FPM_INI\` (php.ini-production) with \`$(printf -- '-d %s ' "${INI[@]//$RUN/<run>}" | sed 's/ $//')\`"
echo "  (php-fpm as \`php_admin_value\`s; folk also loads opcache with \`opcache.enable_cli=1\`). Read from inside a request, identical on both:"
echo "  \`${INI_FPM//$RUN/<run>}\`."
echo
echo "Pages checked on both servers before measuring (status, the same \`<title>\`, body lengths within 3%, as pages may embed"
echo "request ids and timings; identical bytes are reported, not required):"
echo
for app in "${APPS[@]}"; do echo "- ${LABEL[$app]}: ${CHECKED[$app]}."; done
echo
echo "Each row is the round with the median req/s (its p50, p99, requests, errors); CPU µs/req is the server's user + system"
echo "time over the measured run (php-fpm's master and children plus nginx's master and workers; every thread of folk's one"
echo "process; from /proc/<pid>/stat, ${HZ} ticks/s) divided by the requests wrk counted, median of the rounds; memory is taken"
echo "right after each loaded run, the highest of the rounds: RSS of folk's process, PSS summed over php-fpm's and nginx's"
echo "(/proc/<pid>/smaps_rollup)."
echo
echo "| app | server | req/s | p50 ms | p99 ms | CPU µs/req | database CPU µs/req | memory MiB | requests | errors | req/s by round |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
for app in "${APPS[@]}"; do for t in fpm folk; do row "$t" "$app"; done; done
echo
echo "folk classic / php-fpm within each round, median (round by round):"
echo
echo "| app | req/s (higher is better for folk) | p99 (lower is better) | CPU µs/req (lower is better) |"
echo "|---|---|---|---|"
for app in "${APPS[@]}"; do echo "| ${LABEL[$app]} | $(ratios folk fpm "$app" 0) | $(ratios folk fpm "$app" 2) | $(cpu_ratios "$app") |"; done
echo
echo "Servers started (per app, here the last one's; \`<run>\` is the run's temp dir):"
echo
echo '```'
echo "${FOLK_CMD//$RUN/<run>}"
echo "$STACK_FPM_BIN -y php-fpm.conf -F -R; $STACK_NGINX_BIN -c nginx.conf (generated, see bench/http/stack.sh and this script)"
[[ " ${APPS[*]} " == *" wordpress "* ]] && echo "/usr/sbin/mariadbd --no-defaults --datadir=<run>/wordpress/db --socket=<run>/wordpress/mysqld.sock --port=$DB_PORT --bind-address=127.0.0.1 --user=root"
echo '```'
