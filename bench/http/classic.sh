#!/usr/bin/env bash
# Classic mode vs php-fpm 8.2 behind nginx on the same document root
# (bench/http/site: a hello-world script, a page that includes 20 files and
# renders a template, a front-controller route), and folk's static files vs
# nginx's on a 1 KiB and a 1 MiB file. Same php.ini settings where they matter
# (opcache on, timestamps not validated), as many php-fpm children as folk has
# PHP threads. Prints a markdown report on stdout; progress goes to stderr.
#
#   WRK_CONNECTIONS=64 WRK_DURATION=10s WRK_THREADS=2 WRK_WARMUP=1s WRK_ROUNDS=3
#   PHP_THREADS=$(nproc)  folk workers.count and php-fpm pm.max_children
# Ports: 18091 nginx -> php-fpm, 18092 nginx static, 18093 folk.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
# shellcheck source=SCRIPTDIR/stack.sh
source "$HERE/stack.sh"
# shellcheck source=SCRIPTDIR/wrk.sh
source "$HERE/wrk.sh"

PHP_THREADS=${PHP_THREADS:-$(nproc)}

#        target  endpoint  URL
TARGETS=(
  "fpm    hello   http://127.0.0.1:18091/hello.php"
  "fpm    page    http://127.0.0.1:18091/page.php"
  "fpm    front   http://127.0.0.1:18091/users/42"
  "folk   hello   http://127.0.0.1:18093/hello.php"
  "folk   page    http://127.0.0.1:18093/page.php"
  "folk   front   http://127.0.0.1:18093/users/42"
  "folk   file1k  http://127.0.0.1:18093/static/1k.txt"
  "folk   file1m  http://127.0.0.1:18093/static/1m.bin"
  "nginx  file1k  http://127.0.0.1:18092/static/1k.txt"
  "nginx  file1m  http://127.0.0.1:18092/static/1m.bin"
)
PHP_ENDPOINTS=(hello page front)
FILE_ENDPOINTS=(file1k file1m)

write_configs() {
  local run=$STACK_RUN
  mkdir -p "$run/tmp"
  cp -r "$HERE/site" "$run/site"
  mkdir -p "$run/site/static"
  head -c 1024 /dev/urandom >"$run/site/static/1k.txt"
  head -c $((1 << 20)) /dev/urandom >"$run/site/static/1m.bin"
  stack_write_fpm_conf "$PHP_THREADS"
  # The same settings for folk's PHP (its php.ini turns opcache on).
  mkdir -p "$run/folk-ini"
  printf 'opcache.validate_timestamps=0\n' >"$run/folk-ini/bench.ini"
  # Debian's fastcgi_params without its `HTTP_HOST $host` line (research §6).
  grep -v 'HTTP_HOST' /etc/nginx/fastcgi_params >"$run/fastcgi_params"
  { stack_nginx_head; cat <<EOF
  include /etc/nginx/mime.types;
  sendfile on;
  open_file_cache max=64;

  # php-fpm behind nginx, the way classic mode resolves paths
  server {
    listen 127.0.0.1:18091 backlog=4096;
    root $run/site;
    index index.php;
    location / { try_files \$uri \$uri/ /index.php\$is_args\$args; }
    location ~ \.php\$ {
      try_files \$uri =404;
      include $run/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_pass unix:$run/php-fpm.sock;
    }
  }

  # nginx alone, for the static files
  server {
    listen 127.0.0.1:18092 backlog=4096;
    root $run/site;
  }
}
EOF
  } >"$run/nginx.conf"
}

start_stack() {
  write_configs
  stack_run_fpm_nginx 18091 18092
  log "starting folk classic mode: bin/folk serve site --listen 127.0.0.1:18093 --workers $PHP_THREADS"
  set -m
  env -u FOLK_LOG PHP_INI_SCAN_DIR="$STACK_RUN/folk-ini" FOLK_METRICS_LISTEN=off \
    "$ROOT/bin/folk" serve "$STACK_RUN/site" --listen 127.0.0.1:18093 --workers "$PHP_THREADS" \
    >"$STACK_RUN/folk.log" 2>&1 </dev/null &
  FOLK_PID=$!
  set +m
  wait_port 18093 30 "$FOLK_PID" || { tail -n 30 "$STACK_RUN/folk.log" >&2; die "folk did not listen on 18093"; }
}

# The same answer from both sides: status 200 and the same body.
check_same() { # check_same ENDPOINT TARGET_A TARGET_B
  local a b
  a=$(curl -fsS --max-time 5 "$(url_of "$2" "$1")" | sha1sum) || die "GET $(url_of "$2" "$1") failed"
  b=$(curl -fsS --max-time 5 "$(url_of "$3" "$1")" | sha1sum) || die "GET $(url_of "$3" "$1") failed"
  [[ $a == "$b" ]] || die "$1: $2 and $3 answer different bodies"
}

# Resident memory (KiB) of a process and all its descendants.
tree_rss() {
  local pids=("$@") all=() p
  while ((${#pids[@]})); do
    all+=("${pids[@]}")
    mapfile -t pids < <(for p in "${pids[@]}"; do pgrep -P "$p"; done)
  done
  ps -o rss= -p "$(IFS=,; echo "${all[*]}")" | awk '{ s += $1 } END { print s + 0 }'
}

FOLK_PID=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -n $FOLK_PID ]] && stop_pid "$FOLK_PID" 1
  if [[ -n ${STACK_RUN:-} && -d $STACK_RUN ]]; then stack_stop; rm -rf "$STACK_RUN"; fi
  exit "$rc"
}

stack_install_deps
stack_check_ports_free 18091 18092 18093
STACK_RUN=$(mktemp -d /tmp/folk-bench-classic.XXXXXX)
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
start_stack
for e in "${PHP_ENDPOINTS[@]}"; do check_same "$e" fpm folk; done
for e in "${FILE_ENDPOINTS[@]}"; do check_same "$e" nginx folk; done

RSS_FOLK=0 RSS_FPM=0
for ((round = 1; round <= WRK_ROUNDS; round++)); do
  for e in "${PHP_ENDPOINTS[@]}"; do
    for t in fpm folk; do
      run_wrk "$t" "$e" "$round"
      # Memory right after a loaded run: folk's process, php-fpm's master and children plus nginx.
      if [[ $e == page ]]; then
        if [[ $t == folk ]]; then r=$(tree_rss "$FOLK_PID"); ((r > RSS_FOLK)) && RSS_FOLK=$r
        else r=$(tree_rss "${STACK_PIDS[@]}"); ((r > RSS_FPM)) && RSS_FPM=$r; fi
      fi
    done
  done
  for e in "${FILE_ENDPOINTS[@]}"; do
    for t in nginx folk; do run_wrk "$t" "$e" "$round"; done
  done
done

echo "### Classic mode: wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency (after ${WRK_WARMUP} warm-up), $WRK_ROUNDS interleaved rounds"
echo
echo "wrk and the servers share this machine's $(nproc) cores; all traffic on 127.0.0.1. PHP threads: folk workers.count=$PHP_THREADS,"
echo "php-fpm pm=static with max_children=$PHP_THREADS (Debian $("$STACK_FPM_BIN" -v | head -n1 | awk '{print $1" "$2}'), opcache on, validate_timestamps=0 in both);"
echo "nginx $("$STACK_NGINX_BIN" -v 2>&1 | sed 's/.*nginx\///') with sendfile and open_file_cache for the files."
echo
results_header
for line in "${TARGETS[@]}"; do
  read -r t e _ <<<"$line"
  results_row "$t" "$e"
done
echo
echo "Ratios within each round, median (round by round):"
echo
echo "| endpoint | folk/fpm req/s | folk/fpm p99 |"
echo "|---|---|---|"
for e in "${PHP_ENDPOINTS[@]}"; do echo "| $e | $(ratios folk fpm "$e" 0) | $(ratios folk fpm "$e" 2) |"; done
echo
echo "| file | folk/nginx req/s | folk/nginx p99 |"
echo "|---|---|---|"
for e in "${FILE_ENDPOINTS[@]}"; do echo "| $e | $(ratios folk nginx "$e" 0) | $(ratios folk nginx "$e" 2) |"; done
echo
echo "Resident memory right after the page load (the highest of the rounds): folk $((RSS_FOLK / 1024)) MiB" \
  "(one process); php-fpm + nginx $((RSS_FPM / 1024)) MiB (fpm master and $PHP_THREADS children, nginx master and workers)."
