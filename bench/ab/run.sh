#!/usr/bin/env bash
# Two builds of folk against each other, for changes too small for req/s on a
# shared 2-core machine: both servers run side by side on the same worker, wrk
# alternates between them for AB_ROUNDS short runs (order swapped each round),
# and each run's server CPU time per request (every thread, from /proc) gives
# a per-round ratio. The median ratio of many alternating rounds moves by ~1-2%
# where one req/s figure swings by 10%. Prints a markdown report on stdout.
#
#   bench/ab/run.sh A.so B.so        (e.g. a copy of target/release/libfolk.so before a change, and after)
#   AB_MODE=serve|handle|classic     the worker: serve() hello (default), handleRequest() hello, a classic hello.php
#   AB_ROUNDS=10 AB_SECONDS=3 WRK_CONNECTIONS=32 WRK_THREADS=2
#   AB_OPTIONS="'http' => ['direct' => true]"   more options for both servers (PHP array items)
# Ports: 18110 (A) and 18111 (B), 127.0.0.1.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PHP=$ROOT/.php/bin/php
A=${1:?usage: bench/ab/run.sh A.so B.so}
B=${2:?usage: bench/ab/run.sh A.so B.so}
MODE=${AB_MODE:-serve}
ROUNDS=${AB_ROUNDS:-10}
SECONDS_EACH=${AB_SECONDS:-3}
CONNS=${WRK_CONNECTIONS:-32}
THREADS=${WRK_THREADS:-2}
# shellcheck source=SCRIPTDIR/../http/measure.sh
source "$ROOT/bench/http/measure.sh"
log() { printf '[bench/ab] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
[[ -f $A && -f $B ]] || die "both extensions must exist: $A $B"
command -v wrk >/dev/null || die "wrk not found (apt-get install wrk)"

RUN=$(mktemp -d /tmp/folk-bench-ab.XXXXXX)
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$RUN"
}
trap cleanup EXIT

mkdir -p "$RUN/root"
echo '<?php echo "Hello, World!";' >"$RUN/root/hello.php"
echo '<?php Folk\Worker::serve(fn (string $method, array $request) => "Hello, World!");' >"$RUN/serve.php"
echo '<?php while (Folk\Worker::handleRequest(function () { echo "Hello, World!"; })) {}' >"$RUN/handle.php"
case $MODE in
  serve | handle) worker="'worker' => '$RUN/$MODE.php', 'workers' => ['count' => 1]"; path=/ ;;
  classic) worker="'workers' => ['count' => 2], 'http' => ['root' => '$RUN/root']"; path=/hello.php ;;
  *) die "AB_MODE must be serve, handle or classic" ;;
esac

start() { # NAME EXT PORT
  cat >"$RUN/$1.php" <<PHP
<?php (new Folk\Server(array_replace_recursive([$worker], [${AB_OPTIONS:-}], ['http' => ['listen' => '127.0.0.1:$3'], 'log' => ['level' => 'warn']])))->run();
PHP
  env -u FOLK_LOG "$PHP" -d "extension=$2" "$RUN/$1.php" >"$RUN/$1.log" 2>&1 </dev/null &
  PIDS+=($!)
  local i
  for ((i = 0; i < 100; i++)); do
    [[ $(curl -fsS "http://127.0.0.1:$3$path" 2>/dev/null) == "Hello, World!" ]] && return 0
    sleep 0.1
  done
  cat "$RUN/$1.log" >&2
  die "$1 ($2) did not answer on port $3"
}
start A "$A" 18110
start B "$B" 18111
declare -A PID=([A]=${PIDS[0]} [B]=${PIDS[1]}) PORT=([A]=18110 [B]=18111)
HZ=$(getconf CLK_TCK)

measure() { # NAME -> "req/s cpu_us_per_request"
  local p=${PID[$1]} t0 t1 out n
  wrk -t"$THREADS" -c"$CONNS" -d1s "http://127.0.0.1:${PORT[$1]}$path" >/dev/null
  t0=$(cpu_ticks "$p")
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_EACH}s" "http://127.0.0.1:${PORT[$1]}$path")
  t1=$(cpu_ticks "$p")
  n=$(awk '/requests in/ { print $1 }' <<<"$out")
  awk -v r="$(awk '/Requests\/sec/ { print $2 }' <<<"$out")" -v d=$((t1 - t0)) -v hz="$HZ" -v n="$n" \
    'BEGIN { printf "%.0f %.2f\n", r, d * 1e6 / hz / n }'
}

log "A=$A B=$B mode=$MODE, $ROUNDS rounds of ${SECONDS_EACH}s each, alternating"
ratios=() cpu_a=() cpu_b=() rps_a=() rps_b=()
for ((r = 1; r <= ROUNDS; r++)); do
  if ((r % 2)); then order=(A B); else order=(B A); fi
  for s in "${order[@]}"; do read -r rps cpu < <(measure "$s"); eval "rps_$s=$rps cpu_$s=$cpu"; done
  cpu_a+=("$cpu_A") cpu_b+=("$cpu_B") rps_a+=("$rps_A") rps_b+=("$rps_B")
  ratios+=("$(awk -v a="$cpu_A" -v b="$cpu_B" 'BEGIN { printf "%.3f", b / a }')")
  log "round $r: A ${rps_A} req/s ${cpu_A} µs, B ${rps_B} req/s ${cpu_B} µs, B/A CPU ${ratios[-1]}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "## A/B: server CPU per request, $MODE hello, $ROUNDS alternating rounds of wrk -t$THREADS -c$CONNS -d${SECONDS_EACH}s"
echo
echo "| build | median CPU µs/request | median req/s |"
echo "|---|---:|---:|"
echo "| A \`$A\` | $(median "${cpu_a[@]}") | $(median "${rps_a[@]}") |"
echo "| B \`$B\` | $(median "${cpu_b[@]}") | $(median "${rps_b[@]}") |"
echo
echo "B/A CPU per request, median $(median "${ratios[@]}") (rounds: ${ratios[*]}); below 1 means B is cheaper."
