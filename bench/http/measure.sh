# shellcheck shell=bash
# Sourced by the bench scripts that report a server's own cost (bench/peers/run.sh,
# bench/apps/run.sh, bench/ab/run.sh): its processes, their CPU time and memory
# from /proc, and the start-up line folk logs.

# tree_pids PID...: the processes and all their descendants.
tree_pids() {
  local pids=("$@") all=() p
  while ((${#pids[@]})); do
    all+=("${pids[@]}")
    mapfile -t pids < <(for p in "${pids[@]}"; do pgrep -P "$p" || true; done)
  done
  echo "${all[*]}"
}

# cpu_ticks PID...: user + system time of the processes (every thread), in clock ticks.
cpu_ticks() {
  local p
  for p in "$@"; do sed 's/.*) //' "/proc/$p/stat" 2>/dev/null || true; done | awk '{ s += $12 + $13 } END { print s + 0 }'
}

# mem_kib RSS|PSS PID...: the first process's resident set (folk: one process), or the PSS
# summed over the processes (multi-process servers), in KiB.
mem_kib() {
  local kind=$1 p
  shift
  if [[ $kind == RSS ]]; then
    awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
  else
    for p in "$@"; do cat "/proc/$p/smaps_rollup" 2>/dev/null || true; done | awk '/^Pss:/ { s += $2 } END { print s + 0 }'
  fi
}

# folk_started LOG: what folk says it started with (its start-up log line, colours removed).
folk_started() {
  sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -o 'workers=[0-9]* io_threads=[0-9]* classic=[a-z]* main_worker=[a-z]*' | head -n1
}
