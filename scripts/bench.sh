#!/usr/bin/env bash
# `make bench`: measures the floors folk is judged against — raw thread
# hand-off latency (bench/pingpong), background jobs on memory and Redis vs a
# plain PHP BLPOP consumer (bench/jobs), and HTTP throughput/latency of folk vs
# php-fpm+nginx vs static nginx (bench/http/run.sh, classic.sh, and over TLS
# plus the cost of compression, tls.sh), folk side by side with Swoole and
# Workerman where ../shared/peers has them (bench/peers/run.sh), and classic mode against
# php-fpm + nginx on MediaWiki, WordPress and DokuWiki from Debian (bench/apps/run.sh), and nginx -> folk over
# FastCGI against nginx -> php-fpm (bench/http/fastcgi.sh), and gRPC unary echo against folk's own
# HTTP/2 hello (bench/grpc/run.sh) — and records the results
# with the exact commands, date and nproc in bench/out/latest.md (+ history.md).
#
#   FOLK_HTTP_CMD, WRK_CONNECTIONS, WRK_DURATION, ... are passed through to
#   bench/http/run.sh (see its header).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT_DIR=$ROOT/bench/out
PP_TARGET=$ROOT/target/bench-pingpong
mkdir -p "$OUT_DIR"

say() { printf '[bench] %s\n' "$*" >&2; }
# Shell-quoted "VAR=value" for each set variable, to make recorded commands exact.
env_prefix() {
  local v out=()
  for v in "$@"; do [[ -n ${!v:-} ]] && out+=("$v=${!v@Q}"); done
  echo "${out[*]}"
}

STARTED=$(date -u '+%Y-%m-%dT%H:%M:%SZ')
LOADAVG=$(cut -d" " -f1-3 /proc/loadavg)
STATUS=ok
WORK=$(mktemp -d /tmp/folk-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

# ---- 1. pingpong ------------------------------------------------------------------
PP_BUILD="CARGO_TARGET_DIR=target/bench-pingpong cargo build --release --manifest-path bench/pingpong/Cargo.toml"
PP_RUN="target/bench-pingpong/release/pingpong"
say "building pingpong: $PP_BUILD"
if CARGO_TARGET_DIR=$PP_TARGET cargo build --release --quiet --manifest-path bench/pingpong/Cargo.toml; then
  say "running pingpong (<= ~10 s): $PP_RUN"
  if "$PP_TARGET/release/pingpong" >"$WORK/pingpong.txt"; then
    cat "$WORK/pingpong.txt" >&2
  else
    STATUS=failed; say "FAILED: pingpong run"
  fi
else
  STATUS=failed; say "FAILED: pingpong build"
fi

# ---- 1b. pool ---------------------------------------------------------------------
POOL_RUN=".php/bin/php -d extension=target/release/libfolk.so bench/pool/pool.php"
POOL_RUST="cargo test --release --lib -- --ignored --nocapture bench_roundtrip_from_rust"
say "running pool benchmarks: $POOL_RUN"
if ! "$ROOT/.php/bin/php" -d "extension=$ROOT/target/release/libfolk.so" bench/pool/pool.php >"$WORK/pool.txt"; then
  STATUS=failed; say "FAILED: bench/pool/pool.php"
fi
say "running: $POOL_RUST"
PHP=$ROOT/.php/bin/php PHP_CONFIG=$ROOT/.php/bin/php-config cargo test --release --quiet --lib -- --ignored --nocapture bench_roundtrip_from_rust 2>/dev/null \
  | grep '^pool ' >>"$WORK/pool.txt" || { STATUS=failed; say "FAILED: $POOL_RUST"; }
cat "$WORK/pool.txt" >&2

# ---- 1d. background jobs --------------------------------------------------------------
JOBS_RUN="$(env_prefix BENCH_JOBS_N BENCH_JOBS_THREADS BENCH_JOBS_PROBES) .php/bin/php -d extension=target/release/libfolk.so bench/jobs/jobs.php"
JOBS_RUN=${JOBS_RUN# }
say "running jobs benchmarks (installs redis-server with apt-get if missing): $JOBS_RUN"
if ! env -u FOLK_HTTP_CMD "$ROOT/.php/bin/php" -d "extension=$ROOT/target/release/libfolk.so" bench/jobs/jobs.php >"$WORK/jobs.txt"; then
  STATUS=failed; say "FAILED: bench/jobs/jobs.php"
fi
cat "$WORK/jobs.txt" >&2

# folk itself, unless the caller brings its own command: the example server on the bench port.
# (folk refuses unknown FOLK_* variables, so the harness's own are removed from its environment.)
: "${FOLK_HTTP_CMD:=env -u FOLK_HTTP_CMD -u FOLK_BENCH_PORT -u FOLK_STARTUP_SECS FOLK_HTTP_LISTEN=127.0.0.1:\$FOLK_BENCH_PORT FOLK_METRICS_LISTEN=off FOLK_LOG=warn FOLK_WORKERS_COUNT=$(( $(nproc) > 1 ? $(nproc) - 1 : 1 )) $ROOT/.php/bin/php -d extension=$ROOT/target/release/libfolk.so $ROOT/php/examples/server.php}"
export FOLK_HTTP_CMD

# ---- 1c. PHP work per request, no server -----------------------------------------
APP_RUN=".php/bin/php bench/http/app/cost.php"
say "running: $APP_RUN"
"$ROOT/.php/bin/php" bench/http/app/cost.php | sed 's/^app /app zts_folk_php /' >"$WORK/app.txt" \
  || { STATUS=failed; say "FAILED: $APP_RUN"; }
# Debian's NTS CLI (what php-fpm runs), when installed, for the same scripts.
if command -v php8.2 >/dev/null; then
  APP_RUN="$APP_RUN; php8.2 -d opcache.enable_cli=1 bench/http/app/cost.php"
  php8.2 -d opcache.enable_cli=1 bench/http/app/cost.php | sed 's/^app /app nts_debian_php /' >>"$WORK/app.txt" || true
fi
cat "$WORK/app.txt" >&2

# ---- 2. HTTP ----------------------------------------------------------------------
HTTP_CMD="$(env_prefix WRK_THREADS WRK_CONNECTIONS WRK_DURATION WRK_WARMUP WRK_ROUNDS FOLK_STARTUP_SECS FOLK_HTTP_CMD) bench/http/run.sh"
HTTP_CMD=${HTTP_CMD# }
say "running HTTP comparison: $HTTP_CMD"
rm -rf "$OUT_DIR/raw"
if ! BENCH_HTTP_RAW_DIR=$OUT_DIR/raw bench/http/run.sh >"$WORK/http.md"; then
  STATUS=failed; say "FAILED: bench/http/run.sh"
fi

# ---- 2b. classic mode and static files -----------------------------------------------
CLASSIC_CMD="$(env_prefix WRK_THREADS WRK_CONNECTIONS WRK_DURATION WRK_WARMUP WRK_ROUNDS) bench/http/classic.sh"
CLASSIC_CMD=${CLASSIC_CMD# }
say "running classic-mode comparison: $CLASSIC_CMD"
if ! env -u FOLK_HTTP_CMD bench/http/classic.sh >"$WORK/classic.md"; then
  STATUS=failed; say "FAILED: bench/http/classic.sh"
fi

# ---- 2c. TLS and compression -------------------------------------------------------------
TLS_CMD="$(env_prefix WRK_THREADS WRK_CONNECTIONS WRK_DURATION WRK_WARMUP WRK_ROUNDS) bench/http/tls.sh"
TLS_CMD=${TLS_CMD# }
say "running TLS and compression comparison: $TLS_CMD"
if ! env -u FOLK_HTTP_CMD bench/http/tls.sh >"$WORK/tls.md"; then
  STATUS=failed; say "FAILED: bench/http/tls.sh"
fi

# ---- 2d. frameworks in worker mode ----------------------------------------------------
FW_CMD="$(env_prefix WRK_THREADS WRK_CONNECTIONS WRK_DURATION WRK_WARMUP WRK_ROUNDS) bench/frameworks.sh"
FW_CMD=${FW_CMD# }
say "running framework comparison: $FW_CMD"
if ! env -u FOLK_HTTP_CMD bench/frameworks.sh >"$WORK/frameworks.md"; then
  STATUS=failed; say "FAILED: bench/frameworks.sh"
fi

# ---- 2e. worker mode's superglobals vs the payload API ----------------------------------
API_CMD="$(env_prefix WRK_THREADS WRK_CONNECTIONS WRK_DURATION WRK_WARMUP WRK_ROUNDS) bench/http/worker_api.sh"
API_CMD=${API_CMD# }
say "running handleRequest vs serve: $API_CMD"
if ! env -u FOLK_HTTP_CMD bench/http/worker_api.sh >"$WORK/worker_api.md"; then
  STATUS=failed; say "FAILED: bench/http/worker_api.sh"
fi

# ---- 2f. folk vs Swoole, Workerman, php-fpm + nginx and static nginx ---------------------
PEERS_CMD="$(env_prefix WRK_THREADS WRK_CONNECTIONS WRK_DURATION WRK_WARMUP WRK_ROUNDS PEERS_WORKERS PEERS_DIR) bench/peers/run.sh"
PEERS_CMD=${PEERS_CMD# }
say "running the peers comparison: $PEERS_CMD"
if ! env -u FOLK_HTTP_CMD BENCH_HTTP_RAW_DIR=$OUT_DIR/raw/peers bench/peers/run.sh >"$WORK/peers.md"; then
  STATUS=failed; say "FAILED: bench/peers/run.sh"
fi

# ---- 2g. real applications: MediaWiki, WordPress and DokuWiki, classic mode vs php-fpm + nginx ----
APPS_CMD="$(env_prefix WRK_THREADS WRK_CONNECTIONS WRK_DURATION WRK_WARMUP WRK_ROUNDS BENCH_APPS) bench/apps/run.sh"
APPS_CMD=${APPS_CMD# }
say "running the applications comparison (installs the apps with apt-get if missing): $APPS_CMD"
if ! env -u FOLK_HTTP_CMD BENCH_HTTP_RAW_DIR=$OUT_DIR/raw/apps bench/apps/run.sh >"$WORK/apps.md"; then
  STATUS=failed; say "FAILED: bench/apps/run.sh"
fi

# ---- 2h. behind nginx: folk over FastCGI vs php-fpm, the same nginx configuration -------------
FASTCGI_CMD="$(env_prefix WRK_THREADS WRK_CONNECTIONS WRK_DURATION WRK_WARMUP WRK_ROUNDS FASTCGI_KEEP_CONN) bench/http/fastcgi.sh"
FASTCGI_CMD=${FASTCGI_CMD# }
say "running the FastCGI comparison: $FASTCGI_CMD"
if ! env -u FOLK_HTTP_CMD bench/http/fastcgi.sh >"$WORK/fastcgi.md"; then
  STATUS=failed; say "FAILED: bench/http/fastcgi.sh"
fi

# ---- 2i. gRPC: unary echo vs HTTP/2 hello, the same server and handler cost -----------------
GRPC_CMD="$(env_prefix H2LOAD_CLIENTS H2LOAD_STREAMS H2LOAD_DURATION H2LOAD_WARMUP H2LOAD_THREADS) bench/grpc/run.sh"
GRPC_CMD=${GRPC_CMD# }
say "running the gRPC comparison: $GRPC_CMD"
if ! bench/grpc/run.sh >"$WORK/grpc.md"; then
  STATUS=failed; say "FAILED: bench/grpc/run.sh"
fi

# ---- 3. record ----------------------------------------------------------------------
{
  echo "## folk bench — $STARTED"
  echo
  echo "- status: $STATUS"
  echo "- nproc: $(nproc); cpu: $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "- load average at start (1/5/15 min): $LOADAVG — other work on the machine skews every number"
  echo "- kernel: $(uname -sr); $(rustc --version)"
  echo "- folk commit: $(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet HEAD 2>/dev/null || echo ' (+ uncommitted changes)')"
  echo
  echo "### Thread hand-off (round trip = 2 hand-offs)"
  echo
  echo '```'
  echo "\$ $PP_BUILD"
  echo "\$ $PP_RUN"
  cat "$WORK/pingpong.txt" 2>/dev/null || true
  echo '```'
  echo
  echo "### Pool (PHP workers on ZTS threads)"
  echo
  echo '```'
  echo "\$ $POOL_RUN"
  echo "\$ $POOL_RUST"
  cat "$WORK/pool.txt" 2>/dev/null || true
  echo '```'
  echo
  echo "### Background jobs (no-op jobs, push -> done; push -> handler start on an idle server)"
  echo
  echo '```'
  echo "\$ $JOBS_RUN"
  cat "$WORK/jobs.txt" 2>/dev/null || true
  echo '```'
  echo
  echo "### PHP work per request (one thread, no server, no I/O)"
  echo
  echo '```'
  echo "\$ $APP_RUN"
  cat "$WORK/app.txt" 2>/dev/null || true
  echo '```'
  echo
  echo '```'
  echo "\$ $HTTP_CMD"
  echo '```'
  echo
  cat "$WORK/http.md"
  echo
  echo '```'
  echo "\$ $CLASSIC_CMD"
  echo '```'
  echo
  cat "$WORK/classic.md" 2>/dev/null || true
  echo
  echo '```'
  echo "\$ $TLS_CMD"
  echo '```'
  echo
  cat "$WORK/tls.md" 2>/dev/null || true
  echo
  echo '```'
  echo "\$ $FW_CMD"
  echo '```'
  echo
  cat "$WORK/frameworks.md" 2>/dev/null || true
  echo
  echo '```'
  echo "\$ $API_CMD"
  echo '```'
  echo
  cat "$WORK/worker_api.md" 2>/dev/null || true
  echo
  echo '```'
  echo "\$ $PEERS_CMD"
  echo '```'
  echo
  cat "$WORK/peers.md" 2>/dev/null || true
  echo
  echo '```'
  echo "\$ $APPS_CMD"
  echo '```'
  echo
  cat "$WORK/apps.md" 2>/dev/null || true
  echo
  echo '```'
  echo "\$ $FASTCGI_CMD"
  echo '```'
  echo
  cat "$WORK/fastcgi.md" 2>/dev/null || true
  echo
  echo "\$ $GRPC_CMD"
  echo '```'
  echo
  cat "$WORK/grpc.md" 2>/dev/null || true
  echo
  echo "Raw wrk output, configs and logs of this run: bench/out/raw/"
} >"$OUT_DIR/latest.md"
{ cat "$OUT_DIR/latest.md"; echo; } >>"$OUT_DIR/history.md"

cat "$OUT_DIR/latest.md"
say "wrote bench/out/latest.md (and appended to bench/out/history.md): $STATUS"
[[ $STATUS == ok ]]
