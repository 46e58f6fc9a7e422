#!/usr/bin/env bash
# Crash supervision under load: serves a hello-world page with `folk serve`
# (supervised), runs wrk against it, kills the server child with SIGSEGV in
# the middle, and reports how long until a request succeeded again (a curl
# probe every 5 ms from the kill) and what wrk saw fail. Not part of `make test`.
#
#   CRASH_MODE=classic|worker (default classic)  CRASH_WORKERS=2
#   WRK_THREADS=1 WRK_CONNECTIONS=32 WRK_DURATION=8   CRASH_AT=3 (seconds into the run)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODE=${CRASH_MODE:-classic}; WORKERS=${CRASH_WORKERS:-2}
THREADS=${WRK_THREADS:-1}; CONNS=${WRK_CONNECTIONS:-32}; DURATION=${WRK_DURATION:-8}; AT=${CRASH_AT:-3}
PORT=${CRASH_PORT:-18181}
WORK=$(mktemp -d /tmp/folk-crash.XXXXXX)
trap 'kill "$SUP" 2>/dev/null || true; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/root"
echo '<?php echo "hello";' > "$WORK/root/index.php"
echo '<?php Folk\Worker::serve(fn ($m, $r) => "hello");' > "$WORK/worker.php"
args=("$WORK/root" --listen "127.0.0.1:$PORT" --workers "$WORKERS")
[[ $MODE == worker ]] && args+=(--worker "$WORK/worker.php")
FOLK_LOG=warn "$ROOT/bin/folk" serve "${args[@]}" >"$WORK/log" 2>&1 &
SUP=$!
for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.05; done
wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "http://127.0.0.1:$PORT/" >"$WORK/wrk" 2>&1 &
WRK=$!
sleep "$AT"
CHILD=$(pgrep -P "$SUP")
kill -SEGV "$CHILD"
t0=$(date +%s%N)
until curl -fs -m 1 -o /dev/null "http://127.0.0.1:$PORT/"; do sleep 0.005; done
t1=$(date +%s%N)
wait "$WRK"
NEW=$(pgrep -P "$SUP")
echo "mode=$MODE workers=$WORKERS wrk -t$THREADS -c$CONNS -d${DURATION}s; SIGSEGV to server pid $CHILD at ${AT}s, new server pid $NEW"
echo "first successful request $(( (t1 - t0) / 1000000 )) ms after the kill"
grep -E "requests in|Socket errors|Non-2xx|Requests/sec" "$WORK/wrk" || true
grep -E "killed by|restart" "$WORK/log" | sed 's/\x1b\[[0-9;]*m//g' || true
kill -TERM "$SUP"; wait "$SUP"; echo "supervisor exit $?"
