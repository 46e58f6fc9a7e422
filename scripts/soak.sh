#!/usr/bin/env bash
# `make soak`: SOAK_REQUESTS (default 1,000,000) HTTP requests per mode, in
# classic mode and in worker mode (Folk\Worker::serve), through `folk serve`
# (so under crash supervision), mixing normal pages, fatal errors, exceptions,
# exit(), timeouts (exec_timeout) and two SIGHUP reloads. Passes when there is
# no unexpected status or body, no lost request, the server's RSS grew less
# than 10% from warm-up (the first tenth) to the end, and its open descriptors
# are back to their idle count. Not part of `make test`.
#
#   SOAK_REQUESTS=100000 SOAK_CONNECTIONS=16 SOAK_WORKERS=2 SOAK_TIMEOUT_EVERY=50000 SOAK_MODES="classic worker"
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PHP=${FOLK_PHP:-$ROOT/.php/bin/php}
REQUESTS=${SOAK_REQUESTS:-1000000}
CONNECTIONS=${SOAK_CONNECTIONS:-16}
WORKERS=${SOAK_WORKERS:-2}
TIMEOUT_EVERY=${SOAK_TIMEOUT_EVERY:-50000}
MODES=${SOAK_MODES:-classic worker}
PORT=${SOAK_PORT:-18282}
WORK=$(mktemp -d /tmp/folk-soak.XXXXXX)
SUP=
cleanup() { [[ -n $SUP ]] && kill "$SUP" 2>/dev/null; [[ -n ${SOAK_KEEP:-} ]] && echo "[soak] kept $WORK" >&2 || rm -rf "$WORK"; }
trap cleanup EXIT
say() { printf '[soak] %s\n' "$*" >&2; }

mkdir -p "$WORK/root"
cat >"$WORK/root/page.php" <<'PHP'
<?php $n = (int) ($_GET['n'] ?? 0); $rows = []; for ($i = 0; $i < 20; $i++) $rows[] = ['i' => $i, 'sq' => $i * $i];
json_encode($rows); echo "page $n";
PHP
echo '<?php trigger_error("soak fatal", E_USER_ERROR);' >"$WORK/root/fatal.php"
echo '<?php throw new RuntimeException("soak exception");' >"$WORK/root/exception.php"
echo '<?php echo "bye"; exit();' >"$WORK/root/exit.php"
echo '<?php sleep(5); echo "late";' >"$WORK/root/timeout.php"
cat >"$WORK/worker.php" <<'PHP'
<?php
Folk\Worker::serve(function (string $method, array $req) {
    switch ($req['path']) {
        case '/page.php':
            parse_str($req['query'], $q); $rows = [];
            for ($i = 0; $i < 20; $i++) $rows[] = ['i' => $i, 'sq' => $i * $i];
            json_encode($rows);
            return 'page ' . (int) ($q['n'] ?? 0);
        case '/fatal.php': trigger_error('soak fatal', E_USER_ERROR);
        case '/exception.php': throw new RuntimeException('soak exception');
        case '/exit.php': echo ''; exit();
        case '/timeout.php': sleep(5); return 'late';
        default: return ['status' => 404, 'body' => 'not found'];
    }
});
PHP
cat >"$WORK/config.php" <<'PHP'
<?php return ['workers' => ['exec_timeout' => '1s'], 'log' => ['level' => getenv('SOAK_LOG') ?: 'error']];
PHP

status=0
for mode in $MODES; do
  args=("$WORK/root" --listen "127.0.0.1:$PORT" --workers "$WORKERS" --config "$WORK/config.php")
  # Worker mode: no document root, so every request (the .php paths too) reaches the worker.
  [[ $mode == worker ]] && args=(--worker "$WORK/worker.php" --listen "127.0.0.1:$PORT" --workers "$WORKERS" --config "$WORK/config.php")
  say "$mode: bin/folk serve ${args[*]}"
  "$ROOT/bin/folk" serve "${args[@]}" >"$WORK/$mode.log" 2>&1 &
  SUP=$!
  for _ in $(seq 100); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/page.php" && break; sleep 0.05; done
  SERVER=$(pgrep -P "$SUP" || echo "$SUP")
  say "$mode: $REQUESTS requests over $CONNECTIONS connections (server pid $SERVER, supervisor $SUP)"
  if ! "$PHP" "$ROOT/scripts/soak-client.php" "$PORT" "$SERVER" "$SUP" "$mode" "$REQUESTS" "$CONNECTIONS" "$TIMEOUT_EVERY" | tee "$WORK/$mode.json"; then
    status=1
  fi
  kill -TERM "$SUP"
  code=0; wait "$SUP" || code=$?
  if [[ $code == 0 ]]; then
    say "$mode: server stopped on SIGTERM, exit $code"
  else
    say "$mode: server stopped on SIGTERM, exit $code (unexpected)"; status=1
  fi
  crashes=$(grep -cE "the server (was killed by|exited with status)" "$WORK/$mode.log" || true)
  [[ $crashes == 0 ]] || { say "$mode: the server crashed $crashes times:"; grep -E "the server (was killed|exited)" "$WORK/$mode.log" >&2; status=1; }
  SUP=
done
[[ $status == 0 ]] && say "PASS" || say "FAIL"
exit $status
