#!/usr/bin/env bash
# Runs every tests/**/*.phpt through PHP's own run-tests.php with folk loaded,
# then prints one summary line ("N passed, N failed, N skipped").
set -uo pipefail
php=$1 ext=$2 dir=$3
runner="$(dirname "$php")/../lib/php/run-tests.php"
[[ -f "$runner" ]] || runner="$(dirname "$php")/../lib/php/build/run-tests.php"
[[ -f "$runner" ]] || { echo "run-tests.php not found next to $php" >&2; exit 1; }
log=$(mktemp)
# PHP's runner with each retried test's first output logged (scripts/phpt_retry_log.php).
retried=$(mktemp)
hooked=$(mktemp --suffix=.php)
trap 'rm -f "$log" "$retried" "$hooked"' EXIT
"$php" -n "$(dirname "$0")/phpt_retry_log.php" "$runner" "$hooked" || cp "$runner" "$hooked"
PHPT_FIRST_ATTEMPTS_LOG="$retried" NO_INTERACTION=1 REPORT_EXIT_STATUS=1 ZEND_DONT_UNLOAD_MODULES=1 TEST_PHP_EXECUTABLE="$php" \
  "$php" "$hooked" -q -p "$php" -d "extension=$ext" -j"${FOLK_TEST_JOBS:-2}" \
  -g FAIL,BORK,LEAK,XLEAK,SKIP,WARN --show-diff --set-timeout 120 "$dir" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
if [[ -s "$retried" ]]; then
  echo "phpt: the first attempt of each test that was retried (the retry's result is above):" >&2
  cat "$retried" >&2
fi
count() { grep -E "^Tests $1 +:" "$log" | head -n1 | awk -F: '{print $2}' | awk '{print $1}'; }
passed=$(count passed); failed=$(count failed); skipped=$(count skipped)
warned=$(count warned); leaked=$(count leaked)
borked=$(grep -cE '^BORK' "$log" || true)
total=$(( ${passed:-0} + ${failed:-0} ))
files=$(find "$dir" -name '*.phpt' | wc -l)
echo "phpt: ${passed:-0} passed, $(( ${failed:-0} + borked )) failed, ${skipped:-0} skipped" \
  "(${warned:-0} warned, ${leaked:-0} leaked, of $files files)"
if (( total == 0 )); then echo "phpt: no test ran" >&2; exit 1; fi
# A test that warned, leaked or never reported is not a pass: say which, and fail.
if (( ${passed:-0} + ${failed:-0} + ${skipped:-0} + borked != files || ${warned:-0} + ${leaked:-0} > 0 )); then
  grep -E '^(WARN|LEAK|XLEAK)' "$log" >&2 || true
  echo "phpt: $files test files, but only $(( ${passed:-0} + ${failed:-0} + ${skipped:-0} + borked )) passed, failed or skipped" >&2
  exit 1
fi
exit $rc
