#!/usr/bin/env bash
# TLS and compression: folk's HTTPS (rustls) against nginx's (OpenSSL) with the
# same self-signed EC P-256 certificate and the same protocols (TLS 1.2 and
# 1.3), on a hello world: nginx answering it itself, php-fpm behind nginx, and
# folk's worker (php/examples/server.php). Then the req/s cost of folk's
# response compression on the ~1 KiB JSON endpoint (plain HTTP): no
# Accept-Encoding, gzip, br, zstd, each at its default level. wrk keeps its
# connections, so this is the steady state of encrypted keep-alive, not handshakes.
# Prints a markdown report on stdout; progress goes to stderr.
#
#   WRK_CONNECTIONS=64 WRK_DURATION=10s WRK_THREADS=2 WRK_WARMUP=1s WRK_ROUNDS=3
#   FOLK_WORKERS=$(nproc)-1   folk workers.count (as scripts/bench.sh starts it)
# Ports: 18111 nginx TLS static, 18112 nginx TLS -> php-fpm, 18113 folk TLS, 18114 folk plain.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
STACK_APP=$HERE/app
# shellcheck source=SCRIPTDIR/stack.sh
source "$HERE/stack.sh"
# shellcheck source=SCRIPTDIR/wrk.sh
source "$HERE/wrk.sh"

FOLK_WORKERS=${FOLK_WORKERS:-$(($(nproc) > 1 ? $(nproc) - 1 : 1))}

#        target      endpoint  URL
TARGETS=(
  "static_tls  hello  https://127.0.0.1:18111/"
  "fpm_tls     hello  https://127.0.0.1:18112/hello.php"
  "folk_tls    hello  https://127.0.0.1:18113/"
  "folk        json   http://127.0.0.1:18114/json"
  "folk_gzip   json   http://127.0.0.1:18114/json"
  "folk_br     json   http://127.0.0.1:18114/json"
  "folk_zstd   json   http://127.0.0.1:18114/json"
)
TLS_TARGETS=(static_tls fpm_tls folk_tls)
ENC_TARGETS=(folk folk_gzip folk_br folk_zstd)

# wrk runs without Accept-Encoding unless the target asks for one.
wrk_encoding() {
  case $1 in folk_gzip) echo gzip ;; folk_br) echo br ;; folk_zstd) echo zstd ;; *) echo "" ;; esac
}

write_configs() {
  local run=$STACK_RUN
  mkdir -p "$run/tmp"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$run/key.pem" -out "$run/cert.pem" 2>/dev/null \
    || die "openssl could not make the certificate"
  stack_write_fpm_conf "$((2 * $(nproc)))"
  { stack_nginx_head; cat <<EOF
  ssl_certificate $run/cert.pem;
  ssl_certificate_key $run/key.pem;
  ssl_protocols TLSv1.2 TLSv1.3;

  # nginx alone, over TLS
  server {
    listen 127.0.0.1:18111 ssl backlog=4096;
    location = / { default_type text/html; return 200 "Hello, World!"; }
    location / { return 404; }
  }

  # php-fpm behind nginx, over TLS
  server {
    listen 127.0.0.1:18112 ssl backlog=4096;
    root $STACK_APP;
    location ~ \.php\$ {
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
      fastcgi_pass unix:$run/php-fpm.sock;
    }
    location / { return 404; }
  }
}
EOF
  } >"$run/nginx.conf"
}

start_stack() {
  write_configs
  stack_run_fpm_nginx 18111 18112
}

# start_folk PID_VAR PORT [KEY=VALUE...]: the example server on PORT with extra FOLK_* settings.
start_folk() {
  local var=$1 port=$2 log=$STACK_RUN/folk-$2.log
  shift 2
  log "starting folk on 127.0.0.1:$port ($*)"
  set -m
  env -u FOLK_HTTP_CMD FOLK_HTTP_LISTEN=127.0.0.1:$port FOLK_METRICS_LISTEN=off FOLK_LOG=warn \
    FOLK_WORKERS_COUNT="$FOLK_WORKERS" "$@" \
    "$ROOT/.php/bin/php" -d "extension=$ROOT/target/release/libfolk.so" "$ROOT/php/examples/server.php" \
    >"$log" 2>&1 </dev/null &
  printf -v "$var" '%s' "$!"
  set +m
  wait_port "$port" 30 "${!var}" || { tail -n 30 "$log" >&2; die "folk did not listen on $port"; }
}

# check TARGET ENDPOINT: 200 with the expected body (decoded), and the expected encoding.
check() {
  local t=$1 e=$2 url enc got
  url=$(url_of "$t" "$e")
  enc=$(wrk_encoding "$t")
  got=$(curl -ksS --max-time 5 ${enc:+--compressed -H "accept-encoding: $enc"} -o "$STACK_RUN/check.body" \
    -w '%{http_code}' "$url") || die "GET $url failed"
  [[ $got == 200 ]] || die "GET $url: status $got"
  case $e in
    hello) [[ $(cat "$STACK_RUN/check.body") == "Hello, World!" ]] || die "GET $url: unexpected body" ;;
    json) grep -q '"status":"ok"' "$STACK_RUN/check.body" || die "GET $url: unexpected body" ;;
  esac
  if [[ -n $enc ]]; then
    curl -ks -o /dev/null -D - -H "accept-encoding: $enc" "$url" | grep -qi "^content-encoding: $enc" \
      || die "GET $url with accept-encoding $enc was not answered in $enc"
  fi
}

# run_wrk from wrk.sh, with the target's Accept-Encoding header.
run_wrk_enc() {
  local enc
  enc=$(wrk_encoding "$1")
  WRK_EXTRA=()
  [[ -n $enc ]] && WRK_EXTRA=(-H "Accept-Encoding: $enc")
  run_wrk "$@"
}

FOLK_TLS_PID= FOLK_PLAIN_PID=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  [[ -n $FOLK_TLS_PID ]] && stop_pid "$FOLK_TLS_PID" 1
  [[ -n $FOLK_PLAIN_PID ]] && stop_pid "$FOLK_PLAIN_PID" 1
  stack_teardown
  exit "$rc"
}

stack_install_deps
command -v openssl >/dev/null || die "openssl not found"
stack_check_ports_free 18111 18112 18113 18114
STACK_RUN=$(mktemp -d /tmp/folk-bench-tls.XXXXXX)
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
start_stack

# ---- TLS: nginx static, php-fpm behind nginx, folk; one folk at a time ---------
start_folk FOLK_TLS_PID 18113 FOLK_HTTP_TLS_CERT="$STACK_RUN/cert.pem" FOLK_HTTP_TLS_KEY="$STACK_RUN/key.pem"
for t in "${TLS_TARGETS[@]}"; do check "$t" hello; done
CIPHERS=$(for p in 18111 18113; do
  echo | openssl s_client -connect 127.0.0.1:$p -alpn http/1.1 2>/dev/null | awk -v p=$p '/^New, / {print p": "$0}'
done)
for ((round = 1; round <= WRK_ROUNDS; round++)); do
  for t in "${TLS_TARGETS[@]}"; do run_wrk_enc "$t" hello "$round"; done
done
stop_pid "$FOLK_TLS_PID" 1; FOLK_TLS_PID=

# ---- compression on the JSON endpoint, plain HTTP ----------------------------------
start_folk FOLK_PLAIN_PID 18114
for t in "${ENC_TARGETS[@]}"; do check "$t" json; done
for ((round = 1; round <= WRK_ROUNDS; round++)); do
  for t in "${ENC_TARGETS[@]}"; do run_wrk_enc "$t" json "$round"; done
done
sizes=$(for t in "${ENC_TARGETS[@]}"; do
  enc=$(wrk_encoding "$t")
  printf '%s=%s ' "$t" "$(curl -s ${enc:+-H "accept-encoding: $enc"} -o /dev/null -w '%{size_download}' "$(url_of "$t" json)")"
done)

# ---- report -------------------------------------------------------------------------
echo "### TLS and compression: wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency (after ${WRK_WARMUP} warm-up), $WRK_ROUNDS interleaved rounds"
echo
echo "wrk and the servers share this machine's $(nproc) cores; all traffic on 127.0.0.1. Same certificate (EC P-256, self-signed)"
echo "and protocols (TLS 1.2 + 1.3) for nginx $("$STACK_NGINX_BIN" -v 2>&1 | sed 's/.*nginx\///') (OpenSSL) and folk (rustls, ring); wrk speaks HTTP/1.1 over keep-alive."
echo "folk: php/examples/server.php, workers.count=$FOLK_WORKERS; php-fpm pm=static, max_children=$((2 * $(nproc))), opcache on."
echo "Negotiated (openssl s_client): $(echo "$CIPHERS" | paste -sd';' - | sed 's/;/; /g')"
echo
results_header
for t in "${TLS_TARGETS[@]}"; do results_row "$t" hello; done
for t in "${ENC_TARGETS[@]}"; do results_row "$t" json; done
echo
echo "Ratios within each round, median (round by round):"
echo
echo "| comparison | req/s | p99 |"
echo "|---|---|---|"
echo "| folk_tls / static_tls (hello) | $(ratios folk_tls static_tls hello 0) | $(ratios folk_tls static_tls hello 2) |"
echo "| folk_tls / fpm_tls (hello) | $(ratios folk_tls fpm_tls hello 0) | $(ratios folk_tls fpm_tls hello 2) |"
for t in folk_gzip folk_br folk_zstd; do
  echo "| $t / folk uncompressed (json) | $(ratios "$t" folk json 0) | $(ratios "$t" folk json 2) |"
done
echo
echo "Body bytes on the wire for /json: $sizes"
