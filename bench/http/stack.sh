# shellcheck shell=bash
# Sourced by bench/http/run.sh: installs and runs the reference HTTP stacks
# (Debian's php-fpm 8.2 behind nginx, and nginx alone) that folk is compared
# with, from configs generated into a private run dir, touching no system config.
#
# Requires: STACK_RUN (an empty dir owned by us), STACK_APP (bench/http/app).
# Ports: 18081 = nginx -> php-fpm, 18082 = nginx static.

STACK_FPM_BIN=php-fpm8.2
STACK_NGINX_BIN=nginx
STACK_PIDS=()          # every server process we started, for stack_stop

log() { printf '[bench/http] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# stack_install_deps [PACKAGE...]: install nginx, php8.2-fpm, wrk, curl and the given
# packages from Debian if missing. Debian may try to start nginx/php-fpm as services
# on install; we never use those, so stop them.
stack_install_deps() {
  local missing=() p
  for p in nginx php8.2-fpm wrk curl "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  if ((${#missing[@]})); then
    log "installing ${missing[*]} (apt-get)"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    for p in nginx php8.2-fpm; do
      service "$p" stop >/dev/null 2>&1 || true
    done
  fi
  command -v "$STACK_FPM_BIN" >/dev/null || [[ -x /usr/sbin/$STACK_FPM_BIN ]] || die "$STACK_FPM_BIN not found"
  [[ -x /usr/sbin/$STACK_FPM_BIN ]] && STACK_FPM_BIN=/usr/sbin/$STACK_FPM_BIN
  [[ -x /usr/sbin/$STACK_NGINX_BIN ]] && STACK_NGINX_BIN=/usr/sbin/$STACK_NGINX_BIN
  command -v wrk >/dev/null || die "wrk not found"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Fail unless none of the given ports has a listener.
stack_check_ports_free() {
  local p
  for p in "$@"; do
    if ss -Hltn "sport = :$p" | grep -q .; then
      ss -Hltnp "sport = :$p" >&2 || true
      die "port $p is already in use; stop whatever listens there first"
    fi
  done
}

# wait_port PORT SECONDS [PID]: wait for a listener; give up early if PID dies.
wait_port() {
  local port=$1 secs=$2 pid=${3:-} i
  for ((i = 0; i < secs * 10; i++)); do
    port_open "$port" && return 0
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.1
  done
  return 1
}

# stack_write_fpm_conf CHILDREN: php-fpm with Debian's php.ini and conf.d (opcache
# is loaded there) and our own static pool on $STACK_RUN/php-fpm.sock.
stack_write_fpm_conf() {
  local run=$STACK_RUN
  cat >"$run/php-fpm.conf" <<EOF
[global]
pid = $run/php-fpm.pid
error_log = $run/php-fpm.log
daemonize = no

[bench]
$( ((EUID == 0)) && printf 'user = root\ngroup = root' )
listen = $run/php-fpm.sock
listen.mode = 0666
listen.backlog = 4096
pm = static
pm.max_children = $1
pm.max_requests = 0
catch_workers_output = yes
php_admin_value[opcache.enable] = 1
; production setting: do not stat scripts on every request
php_admin_value[opcache.validate_timestamps] = 0
EOF
}

# The top of every nginx.conf here: a private pid, log and temp dirs under
# $STACK_RUN, no access log, keep-alive for the steady state; opens `http {`.
stack_nginx_head() {
  local run=$STACK_RUN
  cat <<EOF
$( ((EUID == 0)) && echo 'user root;' )
worker_processes auto;
daemon off;
pid $run/nginx.pid;
error_log $run/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $run/tmp/body;
  fastcgi_temp_path $run/tmp/fastcgi;
  proxy_temp_path $run/tmp/proxy;
  scgi_temp_path $run/tmp/scgi;
  uwsgi_temp_path $run/tmp/uwsgi;
  tcp_nodelay on;
  keepalive_requests 1000000;   # measure steady state, not reconnects
  server_tokens off;
EOF
}

stack_write_configs() {
  local run=$STACK_RUN children=$((2 * $(nproc)))
  mkdir -p "$run/tmp" "$run/static"

  stack_write_fpm_conf "$children"

  # Lets the harness check that opcache really is on inside the fpm workers.
  cat >"$run/opcache-check.php" <<'EOF'
<?php
$s = function_exists('opcache_get_status') ? opcache_get_status(false) : false;
echo ($s && $s['opcache_enabled']) ? 'opcache=on' : 'opcache=off';
EOF

  { stack_nginx_head; cat <<EOF

  # php-fpm behind nginx
  server {
    listen 127.0.0.1:18081 backlog=4096;
    root $STACK_APP;
    location ~ \.php\$ {
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_pass unix:$run/php-fpm.sock;
    }
    location = /__bench/opcache {
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME $run/opcache-check.php;
      fastcgi_pass unix:$run/php-fpm.sock;
    }
    location / { return 404; }
  }

  # nginx alone: the bound for HTTP with no PHP at all
  server {
    listen 127.0.0.1:18082 backlog=4096;
    location = / { default_type text/html; return 200 "Hello, World!"; }
    # the exact bytes json.php produces, written here before the benchmark
    location = /json {
      default_type application/json;
      alias $run/static/json;
      open_file_cache max=16;
      open_file_cache_valid 1h;
    }
    location / { return 404; }
  }
}
EOF
  } >"$run/nginx.conf"
}

# Start php-fpm and nginx in the foreground of background jobs (pids kept).
stack_start() {
  stack_write_configs
  local fpm_args=(-y "$STACK_RUN/php-fpm.conf" -F)
  ((EUID == 0)) && fpm_args+=(-R)
  "$STACK_FPM_BIN" -t "${fpm_args[@]}" >"$STACK_RUN/php-fpm-test.log" 2>&1 \
    || { cat "$STACK_RUN/php-fpm-test.log" >&2; die "php-fpm config test failed"; }
  "$STACK_NGINX_BIN" -t -q -p "$STACK_RUN" -e "$STACK_RUN/nginx-error.log" -c "$STACK_RUN/nginx.conf" \
    || die "nginx config test failed"

  log "starting php-fpm (pm=static, max_children=$((2 * $(nproc)))) and nginx (worker_processes=auto) on 127.0.0.1:18081 (fpm) and :18082 (static)"
  stack_run_fpm_nginx 18081 18082
}

# stack_run_fpm_nginx PORT...: starts php-fpm ($STACK_RUN/php-fpm.conf, waiting for
# its socket) and nginx ($STACK_RUN/nginx.conf, waiting for each PORT); pids kept.
stack_run_fpm_nginx() {
  local fpm_args=(-y "$STACK_RUN/php-fpm.conf" -F) i port
  ((EUID == 0)) && fpm_args+=(-R)
  "$STACK_FPM_BIN" "${fpm_args[@]}" >>"$STACK_RUN/php-fpm.log" 2>&1 &
  STACK_PIDS+=($!)
  for ((i = 0; i < 100; i++)); do [[ -S $STACK_RUN/php-fpm.sock ]] && break; sleep 0.1; done
  [[ -S $STACK_RUN/php-fpm.sock ]] || { cat "$STACK_RUN/php-fpm.log" >&2; die "php-fpm did not start"; }
  "$STACK_NGINX_BIN" -p "$STACK_RUN" -e "$STACK_RUN/nginx-error.log" -c "$STACK_RUN/nginx.conf" &
  STACK_PIDS+=($!)
  local nginx=$!
  for port in "$@"; do
    wait_port "$port" 10 "$nginx" || { cat "$STACK_RUN/nginx-error.log" >&2; die "nginx did not start"; }
  done
}

# stop_pid PID [GROUP]: TERM (the process group if GROUP=1), wait <=5 s, then KILL.
stop_pid() {
  local pid=$1 group=${2:-0} target i
  target=$pid; ((group)) && target=-$pid
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM -- "$target" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL -- "$target" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}

stack_stop() {
  local pid
  for pid in "${STACK_PIDS[@]}"; do stop_pid "$pid"; done
  STACK_PIDS=()
}

# Stops the stack, keeps its configs, logs and wrk output in BENCH_HTTP_RAW_DIR if set, and
# removes its run directory.
stack_teardown() {
  [[ -n ${STACK_RUN:-} && -d $STACK_RUN ]] || return 0
  stack_stop
  if [[ -n ${BENCH_HTTP_RAW_DIR:-} ]]; then
    mkdir -p "$BENCH_HTTP_RAW_DIR"
    cp "$STACK_RUN"/*.txt "$STACK_RUN"/*.log "$STACK_RUN"/*.conf "$BENCH_HTTP_RAW_DIR"/ 2>/dev/null || true
  fi
  rm -rf "$STACK_RUN"
}
