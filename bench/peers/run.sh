#!/usr/bin/env bash
# folk side by side with the PHP servers it is judged against, in one run: Swoole and
# Workerman (from the peers folder, ../shared/peers next to the checkout, used where it
# exists and never copied into the repo), php-fpm behind nginx, and nginx serving the same
# bodies as files (the bound). Every PHP server, folk's three modes included, calls the
# peers' servers/work.php at run time in its own idiom, so the PHP work is the same
# everywhere: hello (/), json (/json) and table (/table?name=..&page=..). Same number of
# PHP workers everywhere, opcache on, bodies checked byte for byte before measuring.
# Per target and workload: median req/s, p99, the server's CPU time per request (all its
# processes) and its memory; ratios per round and their median. Prints a markdown report
# on stdout; progress goes to stderr.
#
#   WRK_CONNECTIONS=32 WRK_DURATION=4s WRK_THREADS=2 WRK_WARMUP=1s WRK_ROUNDS=3
#                    wrk settings; each round runs every target once per workload, the
#                    order rotated by one target from round to round
#   PEERS_WORKERS=2  PHP workers of every server (at least 2: folk's worker modes count
#                    their main thread as one)
#   PEERS_DIR        the peers folder (default: ../shared/peers from the checkout)
#   PEERS_FOLK_OPTIONS  more options for every folk target, as PHP array items
#   BENCH_HTTP_RAW_DIR  if set, raw wrk outputs, configs and server logs are copied there
# Ports, 127.0.0.1 only: 18100 nginx static, 18101 nginx -> php-fpm, 18102 Swoole,
# 18103 Workerman, 18104 folk serve(), 18105 folk handleRequest(), 18106 folk classic,
# 18107 folk serve() with http.direct off (hyper's path).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
WRK_DURATION=${WRK_DURATION:-4s}
# shellcheck source=SCRIPTDIR/../http/stack.sh
source "$ROOT/bench/http/stack.sh"
# shellcheck source=SCRIPTDIR/../http/wrk.sh
source "$ROOT/bench/http/wrk.sh"
# shellcheck source=SCRIPTDIR/../http/measure.sh
source "$ROOT/bench/http/measure.sh"
log() { printf '[bench/peers] %s\n' "$*" >&2; }

PHP=$ROOT/.php/bin/php
EXT=$ROOT/target/release/libfolk.so
NTS_PHP=php8.2
OPCACHE=(-d zend_extension=opcache -d opcache.enable_cli=1)
WORKERS=${PEERS_WORKERS:-2}
PEERS_DIR=${PEERS_DIR:-$ROOT/../shared/peers}
WORK_PHP=$PEERS_DIR/servers/work.php
TABLE_QUERY='name=Ada%20Lovelace&page=3'
HZ=$(getconf CLK_TCK)
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
((WORKERS >= 2)) || die "PEERS_WORKERS must be at least 2 (folk's worker modes count their main thread as one)"

if [[ ! -f $WORK_PHP ]]; then
  log "no $WORK_PHP: the peers comparison is skipped"
  echo "### Peers: skipped"
  echo
  echo "No peers folder with \`servers/work.php\` at \`$PEERS_DIR\` (the workloads and the peer servers live there): nothing was measured."
  exit 0
fi
PEERS_DIR=$(cd "$PEERS_DIR" && pwd)
WORK_PHP=$PEERS_DIR/servers/work.php

# ---- The one place that maps targets and workloads to URLs -----------------------------
#        target        workload  URL
TARGETS=(
  "static        hello  http://127.0.0.1:18100/"
  "static        json   http://127.0.0.1:18100/json"
  "static        table  http://127.0.0.1:18100/table?$TABLE_QUERY"
  "fpm           hello  http://127.0.0.1:18101/hello.php"
  "fpm           json   http://127.0.0.1:18101/json.php"
  "fpm           table  http://127.0.0.1:18101/table.php?$TABLE_QUERY"
  "fpm           info   http://127.0.0.1:18101/info.php"
  "swoole        hello  http://127.0.0.1:18102/"
  "swoole        json   http://127.0.0.1:18102/json"
  "swoole        table  http://127.0.0.1:18102/table?$TABLE_QUERY"
  "workerman     hello  http://127.0.0.1:18103/"
  "workerman     json   http://127.0.0.1:18103/json"
  "workerman     table  http://127.0.0.1:18103/table?$TABLE_QUERY"
  "folk_serve    hello  http://127.0.0.1:18104/"
  "folk_serve    json   http://127.0.0.1:18104/json"
  "folk_serve    table  http://127.0.0.1:18104/table?$TABLE_QUERY"
  "folk_serve    info   http://127.0.0.1:18104/info"
  "folk_handle   hello  http://127.0.0.1:18105/"
  "folk_handle   json   http://127.0.0.1:18105/json"
  "folk_handle   table  http://127.0.0.1:18105/table?$TABLE_QUERY"
  "folk_handle   info   http://127.0.0.1:18105/info"
  "folk_classic  hello  http://127.0.0.1:18106/hello.php"
  "folk_classic  json   http://127.0.0.1:18106/json.php"
  "folk_classic  table  http://127.0.0.1:18106/table.php?$TABLE_QUERY"
  "folk_classic  info   http://127.0.0.1:18106/info.php"
  "folk_hyper    hello  http://127.0.0.1:18107/"
  "folk_hyper    json   http://127.0.0.1:18107/json"
  "folk_hyper    table  http://127.0.0.1:18107/table?$TABLE_QUERY"
  "folk_hyper    info   http://127.0.0.1:18107/info"
)
ENDPOINTS=(hello json table)
declare -A LABEL=(
  [static]="nginx static" [fpm]="php-fpm + nginx" [swoole]="Swoole" [workerman]="Workerman"
  [folk_serve]="folk serve()" [folk_handle]="folk handleRequest()" [folk_classic]="folk classic"
  [folk_hyper]="folk serve(), http.direct off"
)
# ------------------------------------------------------------------------------------------

RUN_TARGETS=()       # the targets that run, in the first round's order
SKIPPED=()           # a report line for each peer that does not
PIDS=()              # the servers started here besides the stack's (each its own process group)
declare -A ROOTS     # target -> its top processes (their descendants are found at measure time)
declare -A CMD       # target -> the command that started it

# with_work FILE: FILE becomes a PHP script that loads work.php, then runs the PHP code on stdin.
with_work() { { printf "<?php\nrequire '%s';\n" "$WORK_PHP"; cat; } >"$1"; }

# The php-fpm docroot, served by folk's classic mode too: one script per workload.
write_site() {
  mkdir -p "$SITE"
  printf "<?php\necho 'Hello, World!';\n" >"$SITE/hello.php"
  with_work "$SITE/json.php" <<'PHP'
header('Content-Type: application/json');
echo peers_json();
PHP
  with_work "$SITE/table.php" <<'PHP'
echo peers_table((string) ($_GET['name'] ?? 'World'), (int) ($_GET['page'] ?? 1));
PHP
  with_work "$SITE/info.php" <<'PHP'
header('Content-Type: application/json');
echo peers_info();
PHP
}

# folk's two worker scripts, switching on the path as servers/swoole.php does.
write_workers() {
  with_work "$STACK_RUN/serve.php" <<'PHP'
Folk\Worker::serve(function (string $method, array $request) {
    switch ($request['path']) {
        case '/':
            return 'Hello, World!';
        case '/json':
            return new Folk\Http\Response(peers_json(), 200, ['content-type' => 'application/json']);
        case '/table':
            parse_str($request['query'], $get);
            return peers_table((string) ($get['name'] ?? 'World'), (int) ($get['page'] ?? 1));
        case '/info':
            return new Folk\Http\Response(peers_info(), 200, ['content-type' => 'application/json']);
        default:
            return new Folk\Http\Response('not found', 404);
    }
});
PHP
  with_work "$STACK_RUN/handle.php" <<'PHP'
while (Folk\Worker::handleRequest(function () {
    switch (parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH)) {
        case '/':
            echo 'Hello, World!';
            break;
        case '/json':
            header('Content-Type: application/json');
            echo peers_json();
            break;
        case '/table':
            echo peers_table((string) ($_GET['name'] ?? 'World'), (int) ($_GET['page'] ?? 1));
            break;
        case '/info':
            header('Content-Type: application/json');
            echo peers_info();
            break;
        default:
            http_response_code(404);
            echo 'not found';
    }
})) {
}
PHP
}

# nginx: the static bound on 18100 (the bodies php-fpm produces, as files) and php-fpm on 18101.
write_stack() {
  local run=$STACK_RUN
  mkdir -p "$run/tmp" "$run/static"
  stack_write_fpm_conf "$WORKERS"
  { stack_nginx_head; cat <<EOF

  # nginx alone: the bound, the same bodies with no PHP at all
  server {
    listen 127.0.0.1:18100 backlog=4096;
    open_file_cache max=16;
    open_file_cache_valid 1h;
    location = / { default_type text/html; return 200 "Hello, World!"; }
    location = /json { default_type application/json; alias $run/static/json; }
    location = /table { default_type text/html; alias $run/static/table; }
    location / { return 404; }
  }

  # php-fpm behind nginx
  server {
    listen 127.0.0.1:18101 backlog=4096;
    root $SITE;
    location ~ \.php\$ {
      try_files \$uri =404;
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_pass unix:$run/php-fpm.sock;
    }
    location / { return 404; }
  }
}
EOF
  } >"$run/nginx.conf"
}

# start TARGET PORT CMD...: start a server in its own process group, but in wrk's session
# (see bench/http/run.sh: a session of its own gets one fair share of the CPU), and wait for it.
start() {
  local target=$1 port=$2
  shift 2
  log "starting ${LABEL[$target]} on 127.0.0.1:$port: $*"
  set -m
  "$@" >"$STACK_RUN/$target.log" 2>&1 </dev/null &
  PIDS+=($!)
  set +m
  ROOTS[$target]=${PIDS[-1]}
  CMD[$target]="$*"
  wait_port "$port" 30 "${PIDS[-1]}" \
    || { tail -n 30 "$STACK_RUN/$target.log" >&2; die "${LABEL[$target]} did not listen on 127.0.0.1:$port"; }
  RUN_TARGETS+=("$target")
}

# start_folk TARGET PORT OPTIONS: folk with the options (PHP array items) on PORT, from a
# server script, on this checkout's PHP and extension. Every FOLK_* variable is removed from
# its environment, so the options written here are the ones in force.
start_folk() {
  local target=$1 port=$2 unset=() v
  cat >"$STACK_RUN/$target-server.php" <<PHP
<?php
(new Folk\Server([$3, 'http.listen' => '127.0.0.1:$port', 'log.level' => 'info'${PEERS_FOLK_OPTIONS:+, $PEERS_FOLK_OPTIONS}]))->run();
PHP
  for v in $(compgen -e | grep '^FOLK_' || true); do unset+=(-u "$v"); done
  start "$target" "$port" env ${unset[@]+"${unset[@]}"} "$PHP" -d "extension=$EXT" -d opcache.validate_timestamps=0 \
    "$STACK_RUN/$target-server.php"
}

# mem_kind TARGET: how its memory is counted (folk: one process's RSS).
mem_kind() { [[ $1 == folk_* ]] && echo RSS || echo PSS; }

# measure TARGET WORKLOAD ROUND: warm up, then one measured wrk run (R_*), with the server's CPU
# time per request over it (C_*, µs) and its memory right after it (M_*, KiB).
measure() {
  local t=$1 e=$2 r=$3 pids before after p
  # shellcheck disable=SC2086 # ROOTS holds a list of pids
  read -r -a pids <<<"$(tree_pids ${ROOTS[$t]})"
  wrk_warmup "$t" "$e"
  before=$(cpu_ticks "${pids[@]}")
  wrk_measure "$t" "$e" "$r"
  after=$(cpu_ticks "${pids[@]}")
  for p in "${pids[@]}"; do
    [[ -e /proc/$p ]] || die "${LABEL[$t]}: process $p ended during $e round $r (a crash, or something killed it; its log: $t.log, php-fpm.log or nginx-error.log); its CPU time and memory cannot be measured"
  done
  printf -v "C_${t}_${e}_${r}" '%s' "$(awk -v d=$((after - before)) -v hz="$HZ" -v n="$(field "$t" "$e" "$r" 3)" \
    'BEGIN { printf "%.1f", (n > 0 ? d * 1e6 / hz / n : 0) }')"
  printf -v "M_${t}_${e}_${r}" '%s' "$(mem_kib "$(mem_kind "$t")" "${pids[@]}")"
  log "  -> server CPU $(var C "$t" "$e" "$r") µs/request, $(mem_kind "$t") $(var M "$t" "$e" "$r") KiB"
}
var() { local v="$1_$2_$3_$4"; echo "${!v}"; }

# info TARGET: what the target's PHP runs with (work.php's peers_info()), one line. Swoole and
# Workerman serve no /info: the same binary with the same flags answers from the command line.
info() {
  local json
  case $1 in
    swoole) json=$("$NTS_PHP" -n -d "extension=$PEERS_DIR/swoole.so" "${OPCACHE[@]}" -r "require '$WORK_PHP'; echo peers_info();") ;;
    workerman) json=$("$NTS_PHP" -n -d extension=posix "${OPCACHE[@]}" -r "require '$WORK_PHP'; echo peers_info();") ;;
    *) json=$(curl -fsS --max-time 5 "$(url_of "$1" info)") || die "GET $(url_of "$1" info) failed" ;;
  esac
  "$NTS_PHP" -n -r '$i = json_decode(stream_get_contents(STDIN), true);
    printf("PHP %s (%s, %s), opcache %s, JIT %s", $i["php"], $i["sapi"], $i["zts"] ? "ZTS" : "NTS",
      $i["opcache"] ? "on" : "off", $i["jit"] ? "on" : "off");' <<<"$json"
}

cleanup() {
  local rc=$? p
  trap - EXIT INT TERM
  for p in "${PIDS[@]}"; do stop_pid "$p" 1; done
  stack_teardown
  log "torn down"
  exit "$rc"
}

# ---- set up ---------------------------------------------------------------------------------
stack_install_deps php8.2-cli
[[ -x $PHP && -f $EXT ]] || die "no $PHP or $EXT: run 'make build' first"
stack_check_ports_free 18100 18101 18102 18103 18104 18105 18106
STACK_RUN=$(mktemp -d /tmp/folk-bench-peers.XXXXXX)
SITE=$STACK_RUN/site
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

write_site
write_workers
write_stack
log "starting php-fpm (pm=static, max_children=$WORKERS) and nginx (worker_processes=auto) on 127.0.0.1:18100 (static) and :18101 (fpm)"
stack_run_fpm_nginx 18100 18101
ROOTS[static]=${STACK_PIDS[1]}
ROOTS[fpm]="${STACK_PIDS[0]} ${STACK_PIDS[1]}"
RUN_TARGETS+=(static fpm)
# nginx's static bodies are exactly what php-fpm's scripts produce.
curl -fsS --max-time 5 -o "$STACK_RUN/static/json" "$(url_of fpm json)" || die "GET json.php failed"
curl -fsS --max-time 5 -o "$STACK_RUN/static/table" "$(url_of fpm table)" || die "GET table.php failed"

SWOOLE_VERSION=
if [[ ! -f $PEERS_DIR/swoole.so || ! -f $PEERS_DIR/servers/swoole.php ]]; then
  SKIPPED+=("Swoole: not run, no \`swoole.so\` and \`servers/swoole.php\` in \`$PEERS_DIR\`.")
elif ! SWOOLE_VERSION=$("$NTS_PHP" -n -d "extension=$PEERS_DIR/swoole.so" \
    -r 'extension_loaded("swoole") || exit(1); echo phpversion("swoole");' 2>/dev/null); then
  SKIPPED+=("Swoole: not run, \`$PEERS_DIR/swoole.so\` does not load into $("$NTS_PHP" -v | head -n1 | cut -d' ' -f1-2).")
else
  start swoole 18102 "$NTS_PHP" -n -d "extension=$PEERS_DIR/swoole.so" "${OPCACHE[@]}" \
    "$PEERS_DIR/servers/swoole.php" 18102 "$WORKERS"
fi

WORKERMAN_VERSION=
if [[ ! -f $PEERS_DIR/workerman/src/Worker.php || ! -f $PEERS_DIR/servers/workerman.php ]]; then
  SKIPPED+=("Workerman: not run, no \`workerman/\` sources and \`servers/workerman.php\` in \`$PEERS_DIR\`.")
else
  WORKERMAN_VERSION=$(sed -n "s/.*const VERSION = '\([^']*\)'.*/\1/p" "$PEERS_DIR/workerman/src/Worker.php")
  mkdir -p "$STACK_RUN/workerman"
  start workerman 18103 env PORT=18103 WORKERS="$WORKERS" RUN_DIR="$STACK_RUN/workerman" \
    "$NTS_PHP" -n -d extension=posix "${OPCACHE[@]}" "$PEERS_DIR/servers/workerman.php" start
fi

start_folk folk_serve 18104 "'worker' => '$STACK_RUN/serve.php', 'workers.count' => $((WORKERS - 1)), 'server.main_worker' => true"
start_folk folk_handle 18105 "'worker' => '$STACK_RUN/handle.php', 'workers.count' => $((WORKERS - 1)), 'server.main_worker' => true"
start_folk folk_classic 18106 "'http.root' => '$SITE', 'workers.count' => $WORKERS"
start_folk folk_hyper 18107 "'worker' => '$STACK_RUN/serve.php', 'workers.count' => $((WORKERS - 1)), 'server.main_worker' => true, 'http.direct' => false"

# ---- every body, byte for byte, before anything is measured ---------------------------------
printf 'Hello, World!' >"$STACK_RUN/ref-hello"
cp "$STACK_RUN/static/json" "$STACK_RUN/ref-json"
cp "$STACK_RUN/static/table" "$STACK_RUN/ref-table"
for t in "${RUN_TARGETS[@]}"; do
  for e in "${ENDPOINTS[@]}"; do
    url=$(url_of "$t" "$e")
    ctype=$(curl -fsS --max-time 5 -o "$STACK_RUN/body-$t-$e" -w '%{content_type}' "$url") || die "GET $url failed"
    cmp -s "$STACK_RUN/ref-$e" "$STACK_RUN/body-$t-$e" \
      || die "${LABEL[$t]} $e: $url answers $(wc -c <"$STACK_RUN/body-$t-$e") bytes that differ from the reference ($(wc -c <"$STACK_RUN/ref-$e") bytes)"
    [[ $e != json || $ctype == application/json* ]] || die "${LABEL[$t]} json: Content-Type is '$ctype', want application/json"
  done
done
log "bodies identical on ${RUN_TARGETS[*]}"
declare -A PHP_INFO
for t in "${RUN_TARGETS[@]}"; do
  [[ $t == static ]] && continue
  PHP_INFO[$t]=$(info "$t")
  [[ ${PHP_INFO[$t]} == *"opcache on"* ]] || die "${LABEL[$t]} runs with opcache off: ${PHP_INFO[$t]}"
done

# ---- measure ----------------------------------------------------------------------------------
for ((round = 1; round <= WRK_ROUNDS; round++)); do
  k=$(((round - 1) % ${#RUN_TARGETS[@]}))
  order=("${RUN_TARGETS[@]:k}" "${RUN_TARGETS[@]:0:k}")
  for e in "${ENDPOINTS[@]}"; do
    for t in "${order[@]}"; do measure "$t" "$e" "$round"; done
  done
done

# "peer": in each round and workload, the run of whichever of Swoole and Workerman served more req/s.
HAVE=("${RUN_TARGETS[@]}")
declare -A BEST_PEER
for e in "${ENDPOINTS[@]}"; do
  for ((r = 1; r <= WRK_ROUNDS; r++)); do
    best=
    for t in swoole workerman; do
      [[ -n ${ROOTS[$t]:-} ]] || continue
      if [[ -z $best ]] || (($(field "$t" "$e" "$r" 0) > $(field "$best" "$e" "$r" 0))); then best=$t; fi
    done
    [[ -n $best ]] || continue
    rec="R_${best}_${e}_${r}"
    printf -v "R_peer_${e}_${r}" '%s' "${!rec}"
    BEST_PEER[$e]+="${BEST_PEER[$e]:+, }${LABEL[$best]}"
  done
done
[[ -n ${BEST_PEER[hello]:-} ]] && HAVE+=(peer)

# ---- report ------------------------------------------------------------------------------------
ran() { [[ " ${HAVE[*]} " == *" $1 "* ]]; }
# cell A B WORKLOAD INDEX: the per-round ratios of A over B, or n/a when one of them did not run.
cell() { if ran "$1" && ran "$2"; then ratios "$@"; else echo n/a; fi; }
# row TARGET WORKLOAD: the round with the median req/s, the median CPU per request, the highest memory.
row() {
  local t=$1 e=$2 rec rps p50 p99 reqs errs cpu mem rounds r
  rec="R_${t}_${e}_$(median_round "$t" "$e")"
  read -r rps p50 p99 reqs errs <<<"${!rec}"
  cpu=$(median $(for ((r = 1; r <= WRK_ROUNDS; r++)); do var C "$t" "$e" "$r"; done))
  mem=$(for ((r = 1; r <= WRK_ROUNDS; r++)); do var M "$t" "$e" "$r"; done | sort -g | tail -n1)
  rounds=$(for ((r = 1; r <= WRK_ROUNDS; r++)); do field "$t" "$e" "$r" 0; done | paste -sd, - | sed 's/,/, /g')
  echo "| ${LABEL[$t]} | $e | $rps | $p50 | $p99 | $cpu | $(awk -v k="$mem" 'BEGIN { printf "%.1f", k / 1024 }') $(mem_kind "$t") | $reqs | $errs | $rounds |"
}
ratio_table() { # ratio_table INDEX
  echo "| workload | folk serve() / best peer | folk serve() http.direct off / best peer | folk handleRequest() / best peer | folk classic / best peer | handleRequest() / serve() | folk classic / php-fpm | best peer by round |"
  echo "|---|---|---|---|---|---|---|---|"
  for e in "${ENDPOINTS[@]}"; do
    echo "| $e | $(cell folk_serve peer "$e" "$1") | $(cell folk_hyper peer "$e" "$1") | $(cell folk_handle peer "$e" "$1") | $(cell folk_classic peer "$e" "$1")" \
      "| $(cell folk_handle folk_serve "$e" "$1") | $(cell folk_classic fpm "$e" "$1") | ${BEST_PEER[$e]:-none} |"
  done
}

nginx_workers=$(($(tree_pids "${STACK_PIDS[1]}" | wc -w) - 1))
echo "### Peers: wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency (after ${WRK_WARMUP} warm-up), $WRK_ROUNDS interleaved rounds"
echo
echo "wrk and the servers share this machine's $(nproc) cores, in one session (load average at the start: $LOADAVG; other work skews"
echo "every number); all traffic on 127.0.0.1. Each round runs every target"
echo "once per workload, the order rotated by one target each round. Workloads: the peers' \`servers/work.php\`, called at run time"
echo "by every PHP server: hello (\`/\`), json (\`/json\`), table (\`/table?$TABLE_QUERY\`)."
echo
echo "**$WORKERS PHP workers everywhere:**"
ran swoole && echo "- Swoole $SWOOLE_VERSION: \`worker_num\` $WORKERS, SWOOLE_BASE (each worker accepts and serves its own connections), plus its master process."
ran workerman && echo "- Workerman $WORKERMAN_VERSION: \`count\` $WORKERS, its \`select\` loop, plus its master process."
echo "- php-fpm: pm=static, \`pm.max_children\` $WORKERS (opcache.validate_timestamps=0), behind nginx $("$STACK_NGINX_BIN" -v 2>&1 | sed 's/.*nginx\///') with worker_processes=auto ($nginx_workers workers)."
echo "- folk serve() and handleRequest(): \`workers.count\` $((WORKERS - 1)) plus the main PHP thread (\`server.main_worker\` true, the default) = $WORKERS PHP threads;"
echo "  folk says: \`$(folk_started "$STACK_RUN/folk_serve.log")\`, \`$(folk_started "$STACK_RUN/folk_handle.log")\`."
echo "- folk classic: \`workers.count\` $WORKERS (the main thread never serves in classic mode); folk says: \`$(folk_started "$STACK_RUN/folk_classic.log")\`."
echo "- folk serve() with http.direct off: as folk serve(), every request through hyper on the I/O thread (\`http.direct\` false)."
echo "- folk reads and answers plain HTTP/1.1 requests on its PHP threads (\`http.direct\`, the default); its \`io_threads\` tokio threads, which never run PHP, take the rest; every folk target runs with opcache.validate_timestamps=0."
echo "- nginx static serves the bodies php-fpm's scripts produced, as files (\`open_file_cache\`); the same nginx fronts php-fpm."
echo
echo "PHP of each target (work.php's \`peers_info()\`; Swoole's and Workerman's from \`$NTS_PHP -r\` with their flags):"
echo
for t in "${RUN_TARGETS[@]}"; do [[ $t == static ]] || echo "- ${LABEL[$t]}: ${PHP_INFO[$t]}"; done
for line in ${SKIPPED[@]+"${SKIPPED[@]}"}; do echo "- $line"; done
echo
echo "Bodies checked byte for byte on every target before measuring: hello $(wc -c <"$STACK_RUN/ref-hello") bytes (\`Hello, World!\`),"
echo "json $(wc -c <"$STACK_RUN/ref-json") bytes (application/json), table $(wc -c <"$STACK_RUN/ref-table") bytes."
echo
echo "Each row is the round with the median req/s (its p50, p99, requests, errors); CPU µs/req is the server's user + system"
echo "time over the measured run (every process: masters, workers, php-fpm children and nginx workers for php-fpm; every"
echo "thread of folk's one process; from /proc/<pid>/stat, ${HZ} ticks/s) divided by the requests wrk counted, median of the rounds;"
echo "memory is taken right after each loaded run, the highest of the rounds: RSS of folk's one process, PSS summed over"
echo "the processes (/proc/<pid>/smaps_rollup) of the multi-process servers (php-fpm: its master and children plus nginx)."
echo
echo "| target | workload | req/s | p50 ms | p99 ms | CPU µs/req | memory MiB | requests | errors | req/s by round |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"
for e in "${ENDPOINTS[@]}"; do
  for t in "${RUN_TARGETS[@]}"; do row "$t" "$e"; done
done
echo
echo "Ratios within each round, median (round by round); the best peer is whichever of Swoole and Workerman served"
echo "more req/s in that round. req/s (higher is better for the first):"
echo
ratio_table 0
echo
echo "p99 (lower is better for the first):"
echo
ratio_table 2
echo
echo "Servers started:"
echo
echo '```'
for t in "${RUN_TARGETS[@]}"; do
  case $t in
    static | fpm) ;;
    *) echo "${CMD[$t]}" ;;
  esac
done
echo "$STACK_FPM_BIN -y php-fpm.conf -F; $STACK_NGINX_BIN -c nginx.conf (generated, see bench/http/stack.sh)"
echo '```'
