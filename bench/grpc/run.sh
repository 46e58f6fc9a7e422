#!/usr/bin/env bash
# gRPC unary echo against folk's own HTTP/2 hello, the same server, the same
# handler cost (bench/grpc/worker.php: the call's message back, or "hello"):
# h2load replays a pre-framed unary request (content-type application/grpc,
# te: trailers) on grpc.listen, then plain h2c GETs on http.listen, with the
# same connections, streams and duration. The issue's target: gRPC req/s at
# least 0.8 of HTTP/2's. h2load ignores grpc-status, so the run checks the
# gRPC answers with one call first (grpc-status 0 in its trailers, via curl).
# Prints a markdown report on stdout; progress on stderr.
#
#   H2LOAD_CLIENTS=16 H2LOAD_STREAMS=8 H2LOAD_DURATION=5 H2LOAD_WARMUP=1 H2LOAD_THREADS=1
#   PHP_THREADS=$(nproc)   folk workers.count
# Ports, 127.0.0.1 only: 18131 HTTP, 18132 gRPC.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
log() { printf '[bench/grpc] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

PHP=$ROOT/.php/bin/php
EXT=$ROOT/target/release/libfolk.so
CLIENTS=${H2LOAD_CLIENTS:-16}
STREAMS=${H2LOAD_STREAMS:-8}
DURATION=${H2LOAD_DURATION:-5}
WARMUP=${H2LOAD_WARMUP:-1}
THREADS=${H2LOAD_THREADS:-1}
PHP_THREADS=${PHP_THREADS:-$(nproc)}
TARGET=0.8

command -v h2load >/dev/null || die "h2load missing (Debian: apt-get install nghttp2-client)"
[[ -x $PHP && -f $EXT ]] || die "build first (make build)"

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
  [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

cat >"$WORK/server.php" <<PHP
<?php
(new Folk\Server([
    'worker' => '$HERE/worker.php',
    'workers' => ['count' => $PHP_THREADS],
    'http' => ['listen' => '127.0.0.1:18131'],
    'grpc' => ['listen' => '127.0.0.1:18132'],
]))->run();
PHP
FOLK_LOG=warn "$PHP" -d extension="$EXT" "$WORK/server.php" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
  (exec 3<>/dev/tcp/127.0.0.1/18132) 2>/dev/null && break
  sleep 0.05
done

# One unary request, framed: no compression, a 4-byte length, the message.
printf '\x00\x00\x00\x00\x05hello' >"$WORK/call.bin"
if command -v curl >/dev/null; then
  status=$(curl -s --http2-prior-knowledge -D - -o /dev/null -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary @"$WORK/call.bin" http://127.0.0.1:18132/bench.Echo/Say | tr -d '\r' | awk -F': ' '$1 == "grpc-status" { print $2 }')
  [[ $status == 0 ]] || die "the gRPC echo did not answer grpc-status 0 (got '${status}'); log: $(cat "$WORK/server.log")"
fi

run() { # run NAME h2load-args...: prints req/s
  local name=$1 out
  shift
  out=$(h2load -c "$CLIENTS" -m "$STREAMS" -t "$THREADS" -D "$DURATION" --warm-up-time="$WARMUP" "$@" 2>&1)
  printf '%s\n' "$out" >"$WORK/$name.txt"
  grep -q ' 0 failed, 0 errored' <<<"$out" || die "$name: h2load saw failures: $(grep -E 'requests:|status codes' <<<"$out")"
  awk '/^finished in/ { gsub(",", "", $4); print $4 }' <<<"$out"
}

log "gRPC unary echo: h2load -c $CLIENTS -m $STREAMS -D $DURATION"
GRPC=$(run grpc -d "$WORK/call.bin" -H 'content-type: application/grpc' -H 'te: trailers' http://127.0.0.1:18132/bench.Echo/Say)
log "HTTP/2 hello: h2load -c $CLIENTS -m $STREAMS -D $DURATION"
HTTP=$(run http http://127.0.0.1:18131/)
RATIO=$(awk -v g="$GRPC" -v h="$HTTP" 'BEGIN { printf "%.2f", g / h }')
VERDICT=$(awk -v r="$RATIO" -v t="$TARGET" 'BEGIN { print (r >= t) ? "met" : "NOT met" }')

cat <<MD
### gRPC unary echo vs HTTP/2 hello (bench/grpc/run.sh)

$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg) before the run; folk workers.count = $PHP_THREADS;
\`h2load -c $CLIENTS -m $STREAMS -t $THREADS -D $DURATION --warm-up-time=$WARMUP\`, the same server and handler.

| protocol | req/s |
| --- | --- |
| gRPC unary echo (\`/bench.Echo/Say\`, 5-byte message) | $GRPC |
| HTTP/2 GET hello (h2c) | $HTTP |
| ratio gRPC / HTTP/2 | $RATIO (target ≥ $TARGET: $VERDICT) |
MD
