#!/usr/bin/env bash
# The cost of worker mode's superglobals (Folk\Worker::handleRequest(): the
# request opened as PHP's own state, echo/header() for the response) over
# folk's payload API (Folk\Worker::serve(): an array in, a string out), on a
# hello world, same run, same thread count, interleaved rounds. Prints a
# markdown report on stdout; progress on stderr.
#
#   WRK_* as in bench/http/wrk.sh; FOLK_BENCH_WORKERS (default: nproc) thread workers each.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=SCRIPTDIR/stack.sh
source "$HERE/stack.sh"
# shellcheck source=SCRIPTDIR/wrk.sh
source "$HERE/wrk.sh"

PHP=$ROOT/.php/bin/php
EXT=$ROOT/target/release/libfolk.so
WORKERS=${FOLK_BENCH_WORKERS:-$(nproc)}
TARGETS=(
  "payload  hello  http://127.0.0.1:18090/"
  "globals  hello  http://127.0.0.1:18091/"
)
STACK_RUN=$(mktemp -d /tmp/folk-bench-api.XXXXXX)
PIDS=()
cleanup() {
  local rc=$? p
  trap - EXIT
  for p in "${PIDS[@]}"; do stop_pid "$p" 1; done
  rm -rf "$STACK_RUN"
  exit "$rc"
}
trap cleanup EXIT
stack_check_ports_free 18090 18091

cat >"$STACK_RUN/payload.php" <<'PHP'
<?php
Folk\Worker::serve(fn (string $method, array $request) => 'Hello, World!');
PHP
cat >"$STACK_RUN/globals.php" <<'PHP'
<?php
while (Folk\Worker::handleRequest(function () { echo 'Hello, World!'; })) {}
PHP
start() {
  local name=$1 port=$2
  cat >"$STACK_RUN/$name-server.php" <<PHP
<?php (new Folk\Server(['worker' => '$STACK_RUN/$name.php', 'workers' => ['count' => $WORKERS],
  'server' => ['main_worker' => false], 'http' => ['listen' => '127.0.0.1:$port'], 'log' => ['level' => 'warn']]))->run();
PHP
  set -m
  env -u FOLK_LOG -u FOLK_BENCH_WORKERS "$PHP" -d "extension=$EXT" "$STACK_RUN/$name-server.php" >"$STACK_RUN/$name.log" 2>&1 </dev/null &
  PIDS+=($!)
  set +m
  wait_port "$port" 30 "${PIDS[-1]}" || { cat "$STACK_RUN/$name.log" >&2; die "folk ($name) did not listen on $port"; }
  [[ $(curl -fsS "http://127.0.0.1:$port/") == "Hello, World!" ]] || die "folk ($name) answers something else"
}
start payload 18090
start globals 18091
log "two folk servers, $WORKERS thread workers each; $WRK_ROUNDS rounds"
for ((round = 1; round <= WRK_ROUNDS; round++)); do
  for t in payload globals; do run_wrk "$t" hello "$round"; done
done

echo "## Worker mode: superglobals (handleRequest) vs the payload API (serve)"
echo
echo "wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION, $WRK_ROUNDS rounds, $WORKERS thread workers each, $(nproc) CPUs"
echo
results_header
for t in payload globals; do results_row "$t" hello; done
echo
echo "| ratio | req/s | p99 |"
echo "|---|---|---|"
echo "| handleRequest / serve | $(ratios globals payload hello 0) | $(ratios globals payload hello 2) |"
