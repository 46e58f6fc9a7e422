#!/usr/bin/env bash
# Real frameworks: the Slim 3, Symfony 5.4 and Laravel 8 apps of
# tests/fixtures/apps/ (Debian's packages), each on its hello route and its
# template route (Twig / Blade), served three ways with the same app and env:
#   worker   folk worker mode (Slim: worker.php on Folk\Psr7; Symfony: the
#            unchanged public/index.php with APP_RUNTIME=Folk\Runtime\SymfonyRuntime;
#            Laravel: php/frameworks/laravel.php)
#   classic  folk classic mode over public/ (the front controller per request)
#   fpm      Debian's php-fpm 8.2 behind nginx over public/
# Equal PHP thread/process counts (folk workers.count, main worker off; php-fpm
# pm=static max_children), opcache on with validate_timestamps=0 on both sides.
# Prints a markdown report on stdout; progress goes to stderr.
#
#   WRK_CONNECTIONS=64 WRK_DURATION=10s WRK_THREADS=2 WRK_WARMUP=1s WRK_ROUNDS=3
#   PHP_THREADS=$(nproc)   FRAMEWORKS="slim symfony laravel"
# Ports: 18111-18113 nginx -> php-fpm (slim, symfony, laravel), 18114 folk.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
# shellcheck source=SCRIPTDIR/http/stack.sh
source "$HERE/http/stack.sh"
# shellcheck source=SCRIPTDIR/http/wrk.sh
source "$HERE/http/wrk.sh"

PHP_THREADS=${PHP_THREADS:-$(nproc)}
read -r -a FRAMEWORKS <<<"${FRAMEWORKS:-slim symfony laravel}"
APPS=$ROOT/tests/fixtures/apps
PHP=$ROOT/.php/bin/php
EXT=$ROOT/target/release/libfolk.so
FOLK_PORT=18114
declare -A FPM_PORT=([slim]=18111 [symfony]=18112 [laravel]=18113)
ENDPOINTS=(hello template)
declare -A PATHS=([hello]=/hello [template]='/template?name=bench')

TARGETS=()
for fw in "${FRAMEWORKS[@]}"; do
  [[ -n ${FPM_PORT[$fw]:-} ]] || die "unknown framework '$fw' (slim, symfony, laravel)"
  for e in "${ENDPOINTS[@]}"; do
    TARGETS+=("fpm     ${fw}_$e http://127.0.0.1:${FPM_PORT[$fw]}${PATHS[$e]}")
    TARGETS+=("worker  ${fw}_$e http://127.0.0.1:$FOLK_PORT${PATHS[$e]}")
    TARGETS+=("classic ${fw}_$e http://127.0.0.1:$FOLK_PORT${PATHS[$e]}")
  done
done

# Debian's framework packages (as tests/fixtures/frameworks.php installs them).
install_frameworks() {
  local pkgs=(php-slim php-nyholm-psr7 php-guzzlehttp-psr7 php-twig php-symfony-runtime php-symfony-framework-bundle
    php-symfony-twig-bundle php-symfony-dotenv php-symfony-form php-symfony-security-csrf php-symfony-yaml php-laravel-framework)
  local missing=() p
  for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  if ((${#missing[@]})); then
    log "installing ${missing[*]} (apt-get)"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}

# The app's environment (KEY=VALUE lines) for one side; each side has its own var dir.
app_env() { # app_env FW SIDE
  local var=$STACK_RUN/var-$2-$1
  mkdir -p "$var"
  echo "APP_VAR_DIR=$var"
  case $1 in
    symfony) echo 'APP_RUNTIME=Folk\Runtime\SymfonyRuntime' ;;
    laravel)
      echo "APP_BASE_PATH=$APPS/laravel"
      local k
      for k in PACKAGES SERVICES CONFIG ROUTES EVENTS; do echo "APP_${k}_CACHE=$var/${k,,}.php"; done ;;
  esac
}

write_configs() {
  local run=$STACK_RUN fw
  mkdir -p "$run/tmp" "$run/folk-ini"
  stack_write_fpm_conf "$PHP_THREADS"
  printf 'opcache.validate_timestamps=0\n' >"$run/folk-ini/bench.ini"
  grep -v 'HTTP_HOST' /etc/nginx/fastcgi_params >"$run/fastcgi_params"
  {
    stack_nginx_head
    echo "  include /etc/nginx/mime.types;"
    for fw in "${FRAMEWORKS[@]}"; do
      cat <<EOF
  server {
    listen 127.0.0.1:${FPM_PORT[$fw]} backlog=4096;
    root $APPS/$fw/public;
    location / { try_files \$uri /index.php\$is_args\$args; }
    location ~ ^/index\.php(/|\$) {
      include $run/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME \$document_root/index.php;
$(app_env "$fw" fpm | sed 's/^\([^=]*\)=\(.*\)$/      fastcgi_param \1 "\2";/' | sed 's/\\/\\\\/g')
      fastcgi_pass unix:$run/php-fpm.sock;
    }
  }
EOF
    done
    echo "}"
  } >"$run/nginx.conf"
}

start_fpm() {
  write_configs
  local ports=() fw
  for fw in "${FRAMEWORKS[@]}"; do ports+=("${FPM_PORT[$fw]}"); done
  stack_run_fpm_nginx "${ports[@]}"
}

FOLK_PID=
# start_folk FW MODE: folk on $FOLK_PORT in worker or classic mode over the app's public/.
start_folk() {
  local fw=$1 mode=$2 args=() worker
  if [[ $mode == worker ]]; then
    case $fw in
      slim) worker=$APPS/slim/worker.php ;;
      symfony) worker=$APPS/symfony/public/index.php ;;
      laravel) worker=$ROOT/php/frameworks/laravel.php ;;
    esac
    args=(--worker "$worker")
  fi
  local envs=()
  mapfile -t envs < <(app_env "$fw" "folk-$mode")
  log "starting folk $mode mode for $fw: bin/folk serve $APPS/$fw/public ${args[*]} --listen 127.0.0.1:$FOLK_PORT --workers $PHP_THREADS (server.main_worker=false)"
  set -m
  env -u FOLK_LOG "${envs[@]}" PHP_INI_SCAN_DIR="$STACK_RUN/folk-ini" FOLK_METRICS_LISTEN=off FOLK_LOG_LEVEL=warn FOLK_SERVER_MAIN_WORKER=false \
    "$ROOT/bin/folk" serve "$APPS/$fw/public" "${args[@]}" --listen 127.0.0.1:$FOLK_PORT --workers "$PHP_THREADS" \
    >>"$STACK_RUN/folk-$fw-$mode.log" 2>&1 </dev/null &
  FOLK_PID=$!
  set +m
  wait_port $FOLK_PORT 30 "$FOLK_PID" || { tail -n 30 "$STACK_RUN/folk-$fw-$mode.log" >&2; die "folk did not listen on $FOLK_PORT"; }
}
stop_folk() { [[ -n $FOLK_PID ]] && stop_pid "$FOLK_PID" 1; FOLK_PID=; }

# Both answer 200 with the same body (the template's name comes from the query).
check_same() { # check_same URL_A URL_B
  local a b
  a=$(curl -fsS --max-time 10 "$1" | sha1sum) || die "GET $1 failed"
  b=$(curl -fsS --max-time 10 "$2" | sha1sum) || die "GET $2 failed"
  [[ $a == "$b" ]] || die "$1 and $2 answer different bodies"
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_folk
  if [[ -n ${STACK_RUN:-} && -d $STACK_RUN ]]; then stack_stop; rm -rf "$STACK_RUN"; fi
  exit "$rc"
}

stack_install_deps
install_frameworks
stack_check_ports_free 18111 18112 18113 18114
STACK_RUN=$(mktemp -d /tmp/folk-bench-frameworks.XXXXXX)
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
start_fpm

# Rounds are interleaved per framework: fpm, folk worker, folk classic, then the next round.
for fw in "${FRAMEWORKS[@]}"; do
  for ((round = 1; round <= WRK_ROUNDS; round++)); do
    for e in "${ENDPOINTS[@]}"; do run_wrk fpm "${fw}_$e" "$round"; done
    for mode in worker classic; do
      start_folk "$fw" "$mode"
      if ((round == 1)); then
        for e in "${ENDPOINTS[@]}"; do check_same "$(url_of fpm "${fw}_$e")" "$(url_of "$mode" "${fw}_$e")"; done
      fi
      for e in "${ENDPOINTS[@]}"; do run_wrk "$mode" "${fw}_$e" "$round"; done
      stop_folk
    done
  done
done

echo "### Frameworks: wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency (after ${WRK_WARMUP} warm-up), $WRK_ROUNDS rounds"
echo
echo "Apps: tests/fixtures/apps/{$(IFS=,; echo "${FRAMEWORKS[*]}")} on Debian's packages. wrk and the servers share this machine's $(nproc) cores;"
echo "all traffic on 127.0.0.1. PHP threads: folk workers.count=$PHP_THREADS (server.main_worker=false), php-fpm pm=static"
echo "max_children=$PHP_THREADS (Debian $("$STACK_FPM_BIN" -v | head -n1 | awk '{print $1" "$2}'), opcache on, validate_timestamps=0 on both sides)."
echo
results_header
for line in "${TARGETS[@]}"; do
  read -r t e _ <<<"$line"
  results_row "$t" "$e"
done
echo
echo "Ratios within each round, median (round by round):"
echo
echo "| endpoint | worker/fpm req/s | worker/fpm p99 | classic/fpm req/s | worker/classic req/s |"
echo "|---|---|---|---|---|"
for fw in "${FRAMEWORKS[@]}"; do
  for e in "${ENDPOINTS[@]}"; do
    echo "| ${fw}_$e | $(ratios worker fpm "${fw}_$e" 0) | $(ratios worker fpm "${fw}_$e" 2) | $(ratios classic fpm "${fw}_$e" 0) | $(ratios worker classic "${fw}_$e" 0) |"
  done
done
