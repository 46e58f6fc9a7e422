#!/usr/bin/env bash
# make test-asan: the phpt suite on a PHP built with AddressSanitizer, folk's C
# files instrumented too, PHP's allocator off (USE_ZEND_ALLOC=0) so ASan sees
# every allocation. Every process writes its reports under a log directory;
# the run fails if any report was written. Not part of `make test`: it builds
# a second PHP (cached beside the normal one) and runs several times slower.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
step() { printf '\033[1m[asan] %s\033[0m\n' "$*" >&2; }
start=$(date +%s)
FOLK_PHP_ASAN=1 scripts/build-php.sh || exit 1
PHP="$ROOT/.php-asan/bin/php"
step "cargo build --release (C files with -fsanitize=address) into target/asan"
CFLAGS="-fsanitize=address -fno-omit-frame-pointer" PHP="$PHP" PHP_CONFIG="$ROOT/.php-asan/bin/php-config" \
  CARGO_TARGET_DIR="$ROOT/target/asan" cargo build --release || exit 1
EXT="$ROOT/target/asan/release/libfolk.so"
logs=$(mktemp -d /tmp/folk-asan.XXXXXX)
step "phpt suite under ASan (reports in $logs)"
# Leak reports are off: PHP frees its persistent state at exit in an order ASan's leak check misreads.
USE_ZEND_ALLOC=0 ASAN_OPTIONS="detect_leaks=0:log_path=$logs/asan:abort_on_error=0" \
  TEST_FOLK_EXTENSION="$EXT" scripts/run-phpt.sh "$PHP" "$EXT" "${1:-tests}"
rc=$?
reports=$(ls "$logs" | wc -l)
step "$(( $(date +%s) - start ))s; $reports AddressSanitizer report(s)"
if (( reports > 0 )); then
  for f in "$logs"/*; do echo "== $f"; grep -m1 -A12 'ERROR: AddressSanitizer' "$f"; done
  exit 1
fi
exit $rc
