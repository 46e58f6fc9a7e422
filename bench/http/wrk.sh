# shellcheck shell=bash
# Sourced by the HTTP bench scripts (bench/http/*.sh, bench/frameworks.sh,
# bench/peers/run.sh): running wrk against one target/endpoint (its URL from
# the caller's TARGETS) and reading the results back as medians and per-round ratios.
#
# Requires: STACK_RUN, TARGETS (lines of "target endpoint URL"), and functions log, die.
# Optional: WRK_EXTRA, an array of extra wrk arguments (e.g. -H "Accept-Encoding: gzip").

# wrk settings, each overridable from the environment.
WRK_CONNECTIONS=${WRK_CONNECTIONS:-64}
WRK_DURATION=${WRK_DURATION:-10s}
WRK_THREADS=${WRK_THREADS:-2}
WRK_WARMUP=${WRK_WARMUP:-1s}
WRK_ROUNDS=${WRK_ROUNDS:-3}

# url_of TARGET ENDPOINT: the URL TARGETS gives it.
url_of() {
  local t e u
  for line in "${TARGETS[@]}"; do
    read -r t e u <<<"$line"
    [[ $t == "$1" && $e == "$2" ]] && { echo "$u"; return 0; }
  done
  return 1
}

# "10s" / "1m" / "2h" / "30" -> seconds (for bounding wrk with timeout).
to_secs() {
  local v=${1%[smh]} u=${1//[0-9]/}
  case $u in m) echo $((v * 60)) ;; h) echo $((v * 3600)) ;; *) echo "$v" ;; esac
}

# Convert a wrk latency ("812.00us", "1.20ms", "1.02s") to milliseconds.
wrk_ms() {
  awk -v x="$1" 'BEGIN {
    n = x + 0; u = x; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.3f", n }'
}

# run_wrk TARGET ENDPOINT ROUND: warm up, measure, parse into R_<target>_<endpoint>_<round>.
run_wrk() { wrk_warmup "$1" "$2"; wrk_measure "$@"; }

# The bound of one wrk run, so a wedged server cannot hang the benchmark.
wrk_limit() { echo $(($(to_secs "$WRK_DURATION") + $(to_secs "$WRK_WARMUP") + 30)); }

# wrk_warmup TARGET ENDPOINT: load it for WRK_WARMUP, results discarded.
wrk_warmup() {
  local url
  url=$(url_of "$1" "$2")
  log "wrk $1/$2: $url (warm-up $WRK_WARMUP)"
  timeout "$(wrk_limit)" wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WRK_WARMUP" ${WRK_EXTRA[@]+"${WRK_EXTRA[@]}"} "$url" >/dev/null
}

# wrk_measure TARGET ENDPOINT ROUND: measure (no warm-up), parse into R_<target>_<endpoint>_<round>.
wrk_measure() {
  local target=$1 ep=$2 round=$3 url out
  url=$(url_of "$target" "$ep")
  out=$STACK_RUN/wrk-$target-$ep-r$round.txt
  log "round $round/$WRK_ROUNDS, wrk $target/$ep: $url ($WRK_DURATION)"
  timeout "$(wrk_limit)" wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WRK_DURATION" --latency ${WRK_EXTRA[@]+"${WRK_EXTRA[@]}"} "$url" >"$out" \
    || die "wrk failed against $url"

  local rps p50 p99 reqs non2xx sockerr
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  reqs=$(awk '/ requests in / {print $1}' "$out")
  non2xx=$(awk -F': *' '/Non-2xx or 3xx responses/ {print $2}' "$out")
  sockerr=$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$out")
  [[ -n $rps && -n $p50 && -n $p99 ]] || { cat "$out" >&2; die "could not parse wrk output for $url"; }
  printf -v "R_${target}_${ep}_${round}" '%s' "$(printf '%.0f %s %s %s %s' "$rps" "$(wrk_ms "$p50")" \
    "$(wrk_ms "$p99")" "${reqs:-0}" "$((${non2xx:-0} + ${sockerr:-0}))")"
  local r="R_${target}_${ep}_${round}"
  log "  -> ${!r} (req/s p50_ms p99_ms requests errors)"
  if ((${non2xx:-0} + ${sockerr:-0})); then
    log "  WARNING: $target/$ep had ${non2xx:-0} non-2xx responses and ${sockerr:-0} socket errors"
  fi
}

# field TARGET ENDPOINT ROUND INDEX: one number of one run (0 req/s, 1 p50, 2 p99, 3 requests, 4 errors).
field() { local r="R_$1_$2_$3"; read -r -a f <<<"${!r}"; echo "${f[$4]}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# The round whose req/s is the median for TARGET ENDPOINT (its latencies are reported with it).
median_round() {
  local t=$1 e=$2 r m
  m=$(median $(for ((r = 1; r <= WRK_ROUNDS; r++)); do field "$t" "$e" "$r" 0; done))
  for ((r = 1; r <= WRK_ROUNDS; r++)); do [[ $(field "$t" "$e" "$r" 0) == "$m" ]] && { echo "$r"; return; }; done
}
# ratios A B ENDPOINT INDEX: "median (round 1, round 2, ...)" of A/B per round.
ratios() {
  local a=$1 b=$2 e=$3 i=$4 r all=()
  for ((r = 1; r <= WRK_ROUNDS; r++)); do all+=("$(ratio "$(field "$a" "$e" "$r" "$i")" "$(field "$b" "$e" "$r" "$i")")"); done
  echo "$(median "${all[@]}") ($(printf '%s\n' "${all[@]}" | paste -sd, - | sed 's/,/, /g'))"
}


# The results table: a header, then results_row TARGET ENDPOINT for each row,
# the round with the median req/s, plus every round's req/s.
results_header() {
  echo "| target | endpoint | URL | req/s | p50 ms | p99 ms | requests | errors | req/s by round |"
  echo "|---|---|---|---:|---:|---:|---:|---:|---|"
}
results_row() {
  local t=$1 e=$2 m r rps p50 p99 reqs errs rounds i
  m=$(median_round "$t" "$e")
  r="R_${t}_${e}_${m}"; read -r rps p50 p99 reqs errs <<<"${!r}"
  rounds=$(for ((i = 1; i <= WRK_ROUNDS; i++)); do field "$t" "$e" "$i" 0; done | paste -sd, - | sed 's/,/, /g')
  echo "| $t | $e | \`$(url_of "$t" "$e")\` | $rps | $p50 | $p99 | $reqs | $errs | $rounds |"
}
