#!/usr/bin/env bash
# folk over FastCGI in php-fpm's place: the same nginx in front, the same nginx
# configuration for both upstreams (only the fastcgi_pass socket differs), the
# same number of PHP threads/processes on each side.
#   classic  bench/http/site as classic.sh serves it (hello.php, page.php with
#            20 includes and a template, the front-controller route /users/42):
#            nginx -> php-fpm vs nginx -> folk classic (folk serve --fastcgi)
#   worker   the Slim 3 app of bench/frameworks.sh (tests/fixtures/apps/slim), its
#            /hello route: nginx -> php-fpm running public/index.php per request
#            vs nginx -> folk worker mode running worker.php (booted once)
# nginx opens a connection per request to every upstream, its default and
# Debian's snippets/fastcgi-php.conf way (FASTCGI_KEEP_CONN=on keeps them:
# `fastcgi_keep_conn on` and `keepalive 16` upstreams; php-fpm then ties each
# child to one kept connection and starves the others, p99 ~1.5 s, timeouts). php.ini as classic.sh
# gives both: opcache on, opcache.validate_timestamps=0. Each round measures every
# endpoint on both sides, the order swapped from round to round; a row with any
# non-2xx response or socket error (as wrk reports them) fails, and so does the
# script (after the report). Prints a markdown report on stdout; progress on stderr.
#
#   WRK_CONNECTIONS=64 WRK_DURATION=10s WRK_THREADS=2 WRK_WARMUP=1s WRK_ROUNDS=3
#   PHP_THREADS=$(nproc)  folk workers.count and each php-fpm pool's pm.max_children
#   FASTCGI_KEEP_CONN=off  on: `fastcgi_keep_conn on` and upstream keepalive 16, for both
#   BENCH_HTTP_RAW_DIR    if set, wrk outputs, configs and logs are copied there
# Ports, 127.0.0.1 only (all nginx): 18121 -> php-fpm and 18122 -> folk classic (the site),
# 18123 -> php-fpm and 18124 -> folk worker (Slim).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=SCRIPTDIR/stack.sh
source "$HERE/stack.sh"
# shellcheck source=SCRIPTDIR/wrk.sh
source "$HERE/wrk.sh"
# shellcheck source=SCRIPTDIR/measure.sh
source "$HERE/measure.sh"
log() { printf '[bench/fastcgi] %s\n' "$*" >&2; }

PHP_THREADS=${PHP_THREADS:-$(nproc)}
PHP=$ROOT/.php/bin/php
EXT=$ROOT/target/release/libfolk.so
SLIM=$ROOT/tests/fixtures/apps/slim
HZ=$(getconf CLK_TCK)
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
# The issue's targets: folk/php-fpm req/s, median of the per-round ratios.
TARGET_CLASSIC=1.3   # classic mode, hello.php
TARGET_WORKER=3      # worker mode, the framework route
KEEP_CONN=${FASTCGI_KEEP_CONN:-off}
[[ $KEEP_CONN == on || $KEEP_CONN == off ]] || die "FASTCGI_KEEP_CONN must be on or off, not '$KEEP_CONN'"
KEEPALIVE=
[[ $KEEP_CONN == on ]] && KEEPALIVE=' keepalive 16;'

#        target  endpoint  URL
TARGETS=(
  "fpm    hello   http://127.0.0.1:18121/hello.php"
  "fpm    page    http://127.0.0.1:18121/page.php"
  "fpm    front   http://127.0.0.1:18121/users/42"
  "folk   hello   http://127.0.0.1:18122/hello.php"
  "folk   page    http://127.0.0.1:18122/page.php"
  "folk   front   http://127.0.0.1:18122/users/42"
  "fpm    slim    http://127.0.0.1:18123/hello"
  "folk   slim    http://127.0.0.1:18124/hello"
)
ENDPOINTS=(hello page front slim)
declare -A MODE=([hello]=classic [page]=classic [front]=classic [slim]=worker)
declare -A LABEL=([fpm]="nginx → php-fpm" [folk]="nginx → folk")

# ---- configuration ----------------------------------------------------------------------------
# The PHP location of each server block, the same for both upstreams but the socket.
classic_server() { # classic_server PORT UPSTREAM
  cat <<EOF
  server {
    listen 127.0.0.1:$1 backlog=4096;
    root $STACK_RUN/site;
    index index.php;
    location / { try_files \$uri \$uri/ /index.php\$is_args\$args; }
    location ~ \.php\$ {
      try_files \$uri =404;
      include $STACK_RUN/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_keep_conn $KEEP_CONN;
      fastcgi_pass $2;
    }
  }
EOF
}
slim_server() { # slim_server PORT UPSTREAM (as bench/frameworks.sh puts Slim behind nginx)
  cat <<EOF
  server {
    listen 127.0.0.1:$1 backlog=4096;
    root $SLIM/public;
    location / { try_files \$uri /index.php\$is_args\$args; }
    location ~ ^/index\.php(/|\$) {
      include $STACK_RUN/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME \$document_root/index.php;
      fastcgi_keep_conn $KEEP_CONN;
      fastcgi_pass $2;
    }
  }
EOF
}

write_configs() {
  local run=$STACK_RUN
  mkdir -p "$run/tmp" "$run/folk-ini"
  cp -r "$HERE/site" "$run/site"
  # Read from inside a request on both sides before measuring (not benchmarked).
  cat >"$run/site/ini.php" <<'PHP'
<?php
$s = function_exists('opcache_get_status') ? opcache_get_status(false) : false;
echo 'opcache=', ($s && $s['opcache_enabled']) ? 'on' : 'off', ' validate_timestamps=', ini_get('opcache.validate_timestamps');
PHP
  # Two static pools of PHP_THREADS children (the site's, Slim's), as folk runs two servers
  # of PHP_THREADS threads; only one of the four upstreams is loaded at any time.
  stack_write_fpm_conf "$PHP_THREADS"
  sed -n '/^\[bench\]/,$p' "$run/php-fpm.conf" | sed "s/^\[bench\]/[slim]/; s#$run/php-fpm.sock#$run/php-fpm-slim.sock#" >"$run/pool-slim"
  cat "$run/pool-slim" >>"$run/php-fpm.conf"
  rm "$run/pool-slim"
  # The same setting for folk's PHP (its php.ini turns opcache on), as classic.sh.
  printf 'opcache.validate_timestamps=0\n' >"$run/folk-ini/bench.ini"
  # Debian's fastcgi_params without its `HTTP_HOST $host` line, as classic.sh.
  grep -v 'HTTP_HOST' /etc/nginx/fastcgi_params >"$run/fastcgi_params"
  {
    stack_nginx_head
    cat <<EOF

  # keepalive 16: nginx keeps up to 16 idle connections per worker to each upstream (with fastcgi_keep_conn on)
  upstream fpm_site  { server unix:$run/php-fpm.sock;     $KEEPALIVE }
  upstream folk_site { server unix:$run/folk-classic.sock;$KEEPALIVE }
  upstream fpm_slim  { server unix:$run/php-fpm-slim.sock;$KEEPALIVE }
  upstream folk_slim { server unix:$run/folk-worker.sock; $KEEPALIVE }

EOF
    classic_server 18121 fpm_site
    classic_server 18122 folk_site
    slim_server 18123 fpm_slim
    slim_server 18124 folk_slim
    echo "}"
  } >"$run/nginx.conf"
}

declare -A FOLK_PID=([classic]='' [worker]='')
declare -A FOLK_CMD
# start_folk MODE ARGS...: bin/folk serve --fastcgi unix:<run>/folk-MODE.sock ARGS, waits for the socket.
start_folk() {
  local mode=$1 sock=$STACK_RUN/folk-$1.sock i
  shift
  FOLK_CMD[$mode]="bin/folk serve --fastcgi unix:$sock --workers $PHP_THREADS${*:+ $*}"
  log "starting folk $mode mode: ${FOLK_CMD[$mode]}"
  set -m
  env -u FOLK_LOG PHP_INI_SCAN_DIR="$STACK_RUN/folk-ini" FOLK_METRICS_LISTEN=off \
    "$ROOT/bin/folk" serve --fastcgi "unix:$sock" --workers "$PHP_THREADS" "$@" \
    >"$STACK_RUN/folk-$mode.log" 2>&1 </dev/null &
  FOLK_PID[$mode]=$!
  set +m
  for ((i = 0; i < 300; i++)); do
    [[ -S $sock ]] && return 0
    kill -0 "${FOLK_PID[$mode]}" 2>/dev/null || break
    sleep 0.1
  done
  tail -n 30 "$STACK_RUN/folk-$mode.log" >&2
  die "folk $mode mode did not create $sock"
}

start_stack() {
  write_configs
  log "starting php-fpm (two pools, pm=static, max_children=$PHP_THREADS each) and nginx on 127.0.0.1:18121-18124"
  stack_run_fpm_nginx 18121 18122 18123 18124
  for ((i = 0; i < 100; i++)); do [[ -S $STACK_RUN/php-fpm-slim.sock ]] && break; sleep 0.1; done
  [[ -S $STACK_RUN/php-fpm-slim.sock ]] || { cat "$STACK_RUN/php-fpm.log" >&2; die "php-fpm's slim pool did not start"; }
  start_folk classic
  start_folk worker --worker "$SLIM/worker.php"
}

# The same answer from both sides: status 200 and the same body.
check_same() { # check_same ENDPOINT
  local a b
  a=$(curl -fsS --max-time 10 "$(url_of fpm "$1")" | sha1sum) || die "GET $(url_of fpm "$1") failed"
  b=$(curl -fsS --max-time 10 "$(url_of folk "$1")" | sha1sum) || die "GET $(url_of folk "$1") failed"
  [[ $a == "$b" ]] || die "$1: php-fpm and folk answer different bodies"
}

# ---- measuring --------------------------------------------------------------------------------
# The processes behind each side of an endpoint: php-fpm's master (and its children) or folk's
# supervisor (and the server it runs); nginx's master and workers are counted apart.
upstream_roots() { # upstream_roots TARGET ENDPOINT
  if [[ $1 == fpm ]]; then echo "${STACK_PIDS[0]}"; else echo "${FOLK_PID[${MODE[$2]}]}"; fi
}
per_request() { awk -v d="$1" -v hz="$HZ" -v n="$2" 'BEGIN { printf "%.0f", (n > 0 ? d * 1e6 / hz / n : 0) }'; }
var() { local v="$1_$2_$3_$4"; echo "${!v}"; }

declare -A FAILED=() # target_endpoint -> what went wrong, round by round
# measure TARGET ENDPOINT ROUND: warm-up, one measured wrk run (R_*), the CPU time per request
# of the upstream (U_*, µs) and of nginx (N_*, µs) over it; errors fail the row.
measure() {
  local t=$1 e=$2 r=$3 up ng u0 u1 n0 n1 n out non2xx sockerr p
  read -r -a up <<<"$(tree_pids "$(upstream_roots "$t" "$e")")"
  read -r -a ng <<<"$(tree_pids "${STACK_PIDS[1]}")"
  wrk_warmup "$t" "$e"
  u0=$(cpu_ticks "${up[@]}"); n0=$(cpu_ticks "${ng[@]}")
  wrk_measure "$t" "$e" "$r"
  u1=$(cpu_ticks "${up[@]}"); n1=$(cpu_ticks "${ng[@]}")
  for p in "${up[@]}" "${ng[@]}"; do
    [[ -e /proc/$p ]] || die "${LABEL[$t]}: process $p ended during $e round $r (see folk-*.log, php-fpm.log, nginx-error.log)"
  done
  n=$(field "$t" "$e" "$r" 3)
  printf -v "U_${t}_${e}_${r}" '%s' "$(per_request $((u1 - u0)) "$n")"
  printf -v "N_${t}_${e}_${r}" '%s' "$(per_request $((n1 - n0)) "$n")"
  out=$STACK_RUN/wrk-$t-$e-r$r.txt
  non2xx=$(awk -F': *' '/Non-2xx or 3xx responses/ {print $2}' "$out")
  sockerr=$(awk '/Socket errors:/ {sub(/^ *Socket errors: */, ""); print}' "$out")
  if [[ -n $non2xx || -n $sockerr ]]; then
    FAILED[${t}_$e]+="round $r: ${non2xx:-0} non-2xx${sockerr:+, socket errors $sockerr}; "
  elif ((n == 0)); then
    FAILED[${t}_$e]+="round $r: no response at all; "
  fi
  log "  -> CPU µs/request: upstream $(var U "$t" "$e" "$r"), nginx $(var N "$t" "$e" "$r")"
}

STACK_RUN=
cleanup() {
  local rc=$? m
  trap - EXIT INT TERM
  for m in classic worker; do
    if [[ -n ${FOLK_PID[$m]} ]]; then stop_pid "${FOLK_PID[$m]}" 1; fi
  done
  if [[ -n $STACK_RUN && -d $STACK_RUN ]]; then
    stack_stop
    if [[ -n ${BENCH_HTTP_RAW_DIR:-} ]]; then
      mkdir -p "$BENCH_HTTP_RAW_DIR"
      cp "$STACK_RUN"/*.txt "$STACK_RUN"/*.log "$STACK_RUN"/*.conf "$BENCH_HTTP_RAW_DIR"/ 2>/dev/null || true
    fi
    rm -rf "$STACK_RUN"
  fi
  exit "$rc"
}

# ---- run ----------------------------------------------------------------------------------------
[[ -x $PHP && -f $EXT ]] || die "no $PHP or $EXT: run 'make build' first"
stack_install_deps php-slim php-nyholm-psr7 php-guzzlehttp-psr7 php-twig
stack_check_ports_free 18121 18122 18123 18124
STACK_RUN=$(mktemp -d /tmp/folk-bench-fastcgi.XXXXXX)
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
start_stack

INI_FPM=$(curl -fsS --max-time 10 http://127.0.0.1:18121/ini.php) || die "GET ini.php from php-fpm failed"
INI_FOLK=$(curl -fsS --max-time 10 http://127.0.0.1:18122/ini.php) || die "GET ini.php from folk failed"
[[ $INI_FPM == "$INI_FOLK" && $INI_FPM == "opcache=on validate_timestamps=0" ]] \
  || die "php.ini differs or opcache is off: php-fpm: $INI_FPM; folk: $INI_FOLK"
log "in a request on both sides: $INI_FPM"
for e in "${ENDPOINTS[@]}"; do check_same "$e"; done
STARTED_CLASSIC=$(folk_started "$STACK_RUN/folk-classic.log")
STARTED_WORKER=$(folk_started "$STACK_RUN/folk-worker.log")

for ((round = 1; round <= WRK_ROUNDS; round++)); do
  if ((round % 2)); then order=(fpm folk); else order=(folk fpm); fi
  for e in "${ENDPOINTS[@]}"; do
    for t in "${order[@]}"; do measure "$t" "$e" "$round"; done
  done
done

# ---- report -------------------------------------------------------------------------------------
# shellcheck disable=SC2046 # median takes the rounds' values as words
row() { # row TARGET ENDPOINT: the round with the median req/s, the median CPU per request
  local t=$1 e=$2 rec rps p50 p99 reqs errs rounds r ucpu ncpu
  rec="R_${t}_${e}_$(median_round "$t" "$e")"
  read -r rps p50 p99 reqs errs <<<"${!rec}"
  ucpu=$(median $(for ((r = 1; r <= WRK_ROUNDS; r++)); do var U "$t" "$e" "$r"; done))
  ncpu=$(median $(for ((r = 1; r <= WRK_ROUNDS; r++)); do var N "$t" "$e" "$r"; done))
  rounds=$(for ((r = 1; r <= WRK_ROUNDS; r++)); do field "$t" "$e" "$r" 0; done | paste -sd, - | sed 's/,/, /g')
  if [[ -n ${FAILED[${t}_$e]:-} ]]; then errs="**FAILED**: ${FAILED[${t}_$e]%; }"; fi
  echo "| ${MODE[$e]} | $e | ${LABEL[$t]} | \`$(url_of "$t" "$e")\` | $rps | $p50 | $p99 | $ucpu | $ncpu | $reqs | $errs | $rounds |"
}
cpu_ratios() { # cpu_ratios ENDPOINT: folk's upstream CPU per request over php-fpm's, per round
  local r all=()
  for ((r = 1; r <= WRK_ROUNDS; r++)); do all+=("$(ratio "$(var U folk "$1" "$r")" "$(var U fpm "$1" "$r")")"); done
  echo "$(median "${all[@]}") ($(printf '%s\n' "${all[@]}" | paste -sd, - | sed 's/,/, /g'))"
}
target_row() { # target_row WHAT ENDPOINT TARGET
  local m ok=met
  m=$(ratios folk fpm "$2" 0 | awk '{print $1}')
  awk -v m="$m" -v t="$3" 'BEGIN { exit !(m + 0 >= t + 0) }' || ok="**not met**"
  if [[ -n ${FAILED[folk_$2]:-}${FAILED[fpm_$2]:-} ]]; then ok="**not met** (failed requests)"; fi
  echo "| $1 | ≥ $3× | ${m}× | $ok |"
}

echo "### FastCGI: nginx → folk vs nginx → php-fpm — wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency (after ${WRK_WARMUP} warm-up), $WRK_ROUNDS interleaved rounds"
echo
echo "wrk, nginx and the upstreams share this machine's $(nproc) cores (load average at the start: $LOADAVG; other work skews every number);"
echo "clients on 127.0.0.1, nginx to the upstreams over unix sockets. One nginx $("$STACK_NGINX_BIN" -v 2>&1 | sed 's/.*nginx\///') (worker_processes=auto), the same"
if [[ $KEEP_CONN == on ]]; then
  echo "server blocks for both upstreams but the \`fastcgi_pass\` (bench/http/fastcgi.sh): **\`fastcgi_keep_conn on\` and"
  echo "\`upstream { server unix:...; keepalive 16; }\` for php-fpm and folk alike** (connections kept, not one per request)."
else
  echo "server blocks for both upstreams but the \`fastcgi_pass\` (bench/http/fastcgi.sh): **\`fastcgi_keep_conn off\`, no upstream"
  echo "keepalive, for php-fpm and folk alike** (FASTCGI_KEEP_CONN=off: a new connection per request)."
fi
echo "Each round measures every endpoint on both sides, the order swapped every round."
echo
echo "- **classic**: bench/http/site (as classic.sh), Debian's fastcgi_params, \`try_files \$uri =404\`, \`SCRIPT_FILENAME \$document_root\$fastcgi_script_name\`;"
echo "  php-fpm runs the script per request, folk classic mode too: \`${FOLK_CMD[classic]//$STACK_RUN/<run>}\` (\`$STARTED_CLASSIC\`)."
echo "- **worker**: the Slim 3 app of bench/frameworks.sh (tests/fixtures/apps/slim, Debian's php-slim $(dpkg-query -W -f='${Version}' php-slim)), route \`/hello\`,"
echo "  \`SCRIPT_FILENAME \$document_root/index.php\`; php-fpm boots the app per request (public/index.php), folk worker mode boots"
echo "  worker.php once per thread (Folk\\Psr7): \`${FOLK_CMD[worker]//$STACK_RUN/<run>}\` (\`$STARTED_WORKER\`)."
echo "- **PHP threads**: folk workers.count=$PHP_THREADS per server; php-fpm $("$STACK_FPM_BIN" -v | head -n1 | awk '{print $2}') one pool per workload, pm=static, max_children=$PHP_THREADS."
echo "- **php.ini** as classic.sh: php-fpm Debian's fpm php.ini + opcache.enable=1, opcache.validate_timestamps=0 (php_admin_value);"
echo "  folk its php.ini (opcache on) + opcache.validate_timestamps=0. In a request on both: \`$INI_FPM\`."
echo
echo "Each row is the round with the median req/s (its p50, p99, requests, errors). CPU µs/req: user + system time over the"
echo "measured run divided by the requests wrk counted, median of the rounds, from /proc/<pid>/stat ($HZ ticks/s): the upstream"
echo "(php-fpm's master and all children of both pools; folk's supervisor and server, every thread) and nginx (master and workers) apart."
echo "A row with any non-2xx response or socket error (connect, read, write, timeout) fails."
echo
echo "| mode | endpoint | server | URL | req/s | p50 ms | p99 ms | upstream CPU µs/req | nginx CPU µs/req | requests | errors | req/s by round |"
echo "|---|---|---|---|---:|---:|---:|---:|---:|---:|---|---|"
for e in "${ENDPOINTS[@]}"; do for t in fpm folk; do row "$t" "$e"; done; done
echo
echo "folk / php-fpm within each round, median (round by round):"
echo
echo "| mode | endpoint | req/s (higher: folk faster) | p99 (lower: folk better) | upstream CPU µs/req (lower: folk cheaper) |"
echo "|---|---|---|---|---|"
for e in "${ENDPOINTS[@]}"; do echo "| ${MODE[$e]} | $e | $(ratios folk fpm "$e" 0) | $(ratios folk fpm "$e" 2) | $(cpu_ratios "$e") |"; done
echo
echo "The issue's targets (folk/php-fpm req/s, median of the per-round ratios):"
echo
echo "| target | wanted | measured | |"
echo "|---|---|---|---|"
target_row "classic mode, hello.php" hello "$TARGET_CLASSIC"
target_row "worker mode, Slim /hello" slim "$TARGET_WORKER"
echo
echo "nginx's upstreams and server blocks (\`<run>\` is the run's temp dir):"
echo
echo '```nginx'
sed -n '/^  upstream /p; /^  server {/,/^  }/p' "$STACK_RUN/nginx.conf" | sed "s#$STACK_RUN#<run>#g; s#$ROOT/##g" | sed 's/^  //'
echo '```'

if ((${#FAILED[@]})); then
  echo
  echo "**FAILED**: requests failed on $(printf '%s\n' "${!FAILED[@]}" | sort | paste -sd, - | sed 's/,/, /g') (see the errors column)."
  log "FAILED: non-2xx responses or socket errors on ${!FAILED[*]}"
  exit 1
fi
