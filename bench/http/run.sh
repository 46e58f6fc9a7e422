#!/usr/bin/env bash
# HTTP comparison: folk vs php-fpm 8.2 behind nginx vs nginx alone, on
# 127.0.0.1 with wrk. Sets everything up in a temp dir, tears it all down, and
# prints a markdown report (table + ratios) on stdout; progress goes to stderr.
#
#   WRK_CONNECTIONS=64 WRK_DURATION=10s WRK_THREADS=2 WRK_WARMUP=1s  wrk settings
#   WRK_ROUNDS=3         rounds; each round runs every target once per endpoint,
#                        interleaved, so a slow phase of a shared machine hits all
#                        targets alike; the report shows medians over rounds
#   FOLK_HTTP_CMD='...'  shell command starting folk on 127.0.0.1:18080 serving
#                        / (hello) and /json; it gets BENCH_APP_DIR (this app/
#                        dir) and FOLK_BENCH_PORT=18080 in its environment.
#   FOLK_STARTUP_SECS=30 how long to wait for folk's port
#   BENCH_HTTP_RAW_DIR=  if set, raw wrk outputs and server logs are copied there
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
STACK_APP=$HERE/app
# shellcheck source=SCRIPTDIR/stack.sh
source "$HERE/stack.sh"
# shellcheck source=SCRIPTDIR/wrk.sh
source "$HERE/wrk.sh"

FOLK_STARTUP_SECS=${FOLK_STARTUP_SECS:-30}
FOLK_PORT=18080

# ---- The one place that maps targets and endpoints to URLs ------------------
#        target  endpoint  URL
TARGETS=(
  "static  hello  http://127.0.0.1:18082/"
  "static  json   http://127.0.0.1:18082/json"
  "fpm     hello  http://127.0.0.1:18081/hello.php"
  "fpm     json   http://127.0.0.1:18081/json.php"
  "folk    hello  http://127.0.0.1:$FOLK_PORT/"
  "folk    json   http://127.0.0.1:$FOLK_PORT/json"
)
ENDPOINTS=(hello json)
# ------------------------------------------------------------------------------

# check_endpoint TARGET ENDPOINT: fail unless it answers 200 with the expected body.
check_endpoint() {
  local target=$1 ep=$2 url body ctype
  url=$(url_of "$target" "$ep")
  body=$(curl -fsS --max-time 5 -o - -w '\n%{content_type}' "$url") || die "GET $url failed"
  ctype=${body##*$'\n'}; body=${body%$'\n'*}
  case $ep in
    hello) [[ $body == "Hello, World!" ]] || die "GET $url: unexpected body: ${body:0:80}" ;;
    json)
      [[ $ctype == application/json* ]] || die "GET $url: Content-Type is '$ctype', want application/json"
      [[ $body == "$(cat "$STACK_RUN/static/json")" ]] \
        || log "WARNING: $url body (${#body} bytes) differs from json.php's output"
      ;;
  esac
}

FOLK_PID=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -n $FOLK_PID ]] && { log "stopping folk"; stop_pid "$FOLK_PID" 1; }
  stack_teardown
  log "torn down"
  exit "$rc"
}

# ---- set up -------------------------------------------------------------------
stack_install_deps
stack_check_ports_free 18080 18081 18082
STACK_RUN=$(mktemp -d /tmp/folk-bench-http.XXXXXX)
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
stack_start

opcache=$(curl -fsS --max-time 5 http://127.0.0.1:18081/__bench/opcache) || die "opcache check failed"
[[ $opcache == opcache=on ]] || die "php-fpm reports $opcache"
log "php-fpm workers report $opcache"
# nginx's static /json serves exactly what json.php produces.
curl -fsS --max-time 5 -o "$STACK_RUN/static/json" "$(url_of fpm json)" || die "GET json.php failed"

RUN_TARGETS=(static fpm)
if [[ -n ${FOLK_HTTP_CMD:-} ]]; then
  log "starting folk: $FOLK_HTTP_CMD"
  # Its own process group (job control), so stopping it reaches every child,
  # but the same session as wrk, nginx and php-fpm: with the kernel's
  # autogroup scheduling a new session (setsid) gets one fair share of the
  # CPU for all its threads, which starved folk against wrk (measured here:
  # ~35k req/s in its own session, ~75k in the shared one, same binary).
  set -m
  BENCH_APP_DIR=$STACK_APP FOLK_BENCH_PORT=$FOLK_PORT \
    bash -c "$FOLK_HTTP_CMD" >"$STACK_RUN/folk.log" 2>&1 </dev/null &
  FOLK_PID=$!
  set +m
  if ! wait_port "$FOLK_PORT" "$FOLK_STARTUP_SECS" "$FOLK_PID"; then
    tail -n 30 "$STACK_RUN/folk.log" >&2 || true
    kill -0 "$FOLK_PID" 2>/dev/null || die "FOLK_HTTP_CMD exited before listening on 127.0.0.1:$FOLK_PORT"
    die "folk did not listen on 127.0.0.1:$FOLK_PORT within ${FOLK_STARTUP_SECS}s"
  fi
  RUN_TARGETS+=(folk)
fi

for t in "${RUN_TARGETS[@]}"; do
  for e in "${ENDPOINTS[@]}"; do check_endpoint "$t" "$e"; done
done

# ---- measure ------------------------------------------------------------------
for ((round = 1; round <= WRK_ROUNDS; round++)); do
  for e in "${ENDPOINTS[@]}"; do
    for t in "${RUN_TARGETS[@]}"; do run_wrk "$t" "$e" "$round"; done
  done
done

# ---- report -------------------------------------------------------------------
echo "### HTTP: wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency (after ${WRK_WARMUP} warm-up), $WRK_ROUNDS interleaved rounds"
echo
echo "wrk and the servers share this machine's $(nproc) cores, in one session (kernel.sched_autogroup_enabled=$(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null || echo n/a)); all traffic on 127.0.0.1."
echo "fpm: Debian $("$STACK_FPM_BIN" -v | head -n1 | awk '{print $1" "$2}'), opcache on, pm=static," \
  "max_children=$((2 * $(nproc))); nginx $("$STACK_NGINX_BIN" -v 2>&1 | sed 's/.*nginx\///'), worker_processes=auto."
echo
echo "Each row is the round with the median req/s; the last column lists every round's req/s."
echo
results_header
for t in "${RUN_TARGETS[@]}"; do
  for e in "${ENDPOINTS[@]}"; do results_row "$t" "$e"; done
done
echo
echo "Ratios, computed within each round, as median (round by round); req/s: higher is better"
echo "for the first; p99: lower is better for the first:"
echo
if [[ -n $FOLK_PID ]]; then
  echo "| endpoint | fpm/static req/s | folk/fpm req/s | folk/static req/s | folk/fpm p99 | folk/static p99 |"
  echo "|---|---|---|---|---|---|"
  for e in "${ENDPOINTS[@]}"; do
    echo "| $e | $(ratios fpm static "$e" 0) | $(ratios folk fpm "$e" 0) | $(ratios folk static "$e" 0)" \
      "| $(ratios folk fpm "$e" 2) | $(ratios folk static "$e" 2) |"
  done
else
  echo "| endpoint | fpm/static req/s | fpm/static p99 |"
  echo "|---|---|---|"
  for e in "${ENDPOINTS[@]}"; do
    echo "| $e | $(ratios fpm static "$e" 0) | $(ratios fpm static "$e" 2) |"
  done
  echo
  echo "folk: not run (FOLK_HTTP_CMD is unset; set it to a command that serves / and /json on 127.0.0.1:$FOLK_PORT)."
fi
