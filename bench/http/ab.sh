#!/usr/bin/env bash
# A/B of two folk builds on the same PHP and machine, interleaved rounds:
#   bench/http/ab.sh OLD_CHECKOUT NEW_CHECKOUT
# Each checkout must have target/release/libfolk.so and php/examples/server.php.
# Runs the example server with workers.count=1 (plus the main thread) on
# 127.0.0.1:18090 and prints, per round and build, wrk -t2 -c64 -d8s req/s and p99
# for / (hello) and /json, after a 1 s warm-up. ROUNDS=3 by default.
set -u
old=$1 new=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PHP=${PHP:-$ROOT/.php/bin/php}
ROUNDS=${ROUNDS:-3}
for r in $(seq 1 "$ROUNDS"); do
  for dir in "$old" "$new"; do
    env FOLK_HTTP_LISTEN=127.0.0.1:18090 FOLK_METRICS_LISTEN=off FOLK_LOG=warn FOLK_WORKERS_COUNT=1 \
      "$PHP" -d "extension=$dir/target/release/libfolk.so" "$dir/php/examples/server.php" >/dev/null 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do curl -s -o /dev/null 127.0.0.1:18090/ && break; sleep 0.1; done
    for ep in / /json; do
      wrk -t2 -c64 -d1s "http://127.0.0.1:18090$ep" >/dev/null 2>&1
      wrk -t2 -c64 -d8s --latency "http://127.0.0.1:18090$ep" 2>&1 \
        | awk -v r="$r" -v d="$dir" -v ep="$ep" '/Requests\/sec/{rps=$2} / 99%/{p99=$2} END{printf "round %s %s %s %s req/s p99 %s\n", r, d, ep, rps, p99}'
    done
    kill -TERM "$pid"; wait "$pid" 2>/dev/null
  done
done
