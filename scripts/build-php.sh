#!/usr/bin/env bash
# Builds the thread-safe (ZTS) PHP that folk needs, once per machine.
#
# No distribution ships a ZTS PHP with the embed SAPI, so folk builds its own
# into a prefix cached outside the checkout (keyed by version and configure
# flags) and links it as .php/. A fresh clone on the same machine reuses it.
# scripts/php-patches/*.patch are applied to the source (patch -p1, in name
# order) before configure; their contents are part of the cache key.
#
#   PHP_TARBALL=/path/php-x.y.z.tar.xz   build from this tarball instead of Debian's source package
#   PHP_CONFIG=/path/to/php-config       use that (ZTS) PHP and build nothing
#   FOLK_PHP_ASAN=1                      an AddressSanitizer build instead, linked as .php-asan/ (make test-asan)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
LINK="$ROOT/.php"
[[ "${FOLK_PHP_ASAN:-}" == 1 ]] && LINK="$ROOT/.php-asan"
CACHE="${FOLK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/folk}"
DEBIAN_VERSION="8.2.32-1~deb12u1"
JOBS=$(nproc 2>/dev/null || echo 2)

CONFIGURE_FLAGS=(
  --enable-zts --enable-embed=shared
  --disable-zend-signals --enable-zend-max-execution-timers
  --disable-cgi --disable-phpdbg
  --enable-opcache
  --enable-ctype --enable-tokenizer --enable-filter --enable-session
  --enable-dom --enable-xml --enable-simplexml --enable-xmlreader --enable-xmlwriter
  --enable-mbstring --enable-fileinfo --with-iconv
  --with-openssl --with-zlib --with-curl
  --with-pdo-sqlite --with-sqlite3
  --enable-posix --enable-pcntl --enable-sockets --enable-bcmath --enable-intl
  # what real applications (WordPress, Drupal, Laravel, Symfony) expect loaded
  --enable-mysqlnd --with-mysqli=mysqlnd --with-pdo-mysql=mysqlnd
  --with-pgsql --with-pdo-pgsql
  --enable-gd --with-jpeg --with-webp --with-freetype
  --with-zip --enable-exif --with-sodium --with-gmp --enable-calendar --with-gettext
  --with-libedit
)
# Its own flags, so its own cache key: the sanitized build never replaces the normal one.
[[ "${FOLK_PHP_ASAN:-}" == 1 ]] && CONFIGURE_FLAGS+=(--enable-address-sanitizer)

APT_PACKAGES=(
  build-essential pkg-config autoconf bison re2c dpkg-dev xz-utils patch
  libxml2-dev libsqlite3-dev libssl-dev zlib1g-dev libcurl4-openssl-dev
  libonig-dev libicu-dev libclang-dev clang
  libpq-dev libpng-dev libjpeg62-turbo-dev libwebp-dev libfreetype-dev
  libzip-dev libsodium-dev libgmp-dev libedit-dev
)

step() { printf '\033[1m[php] %s\033[0m\n' "$*" >&2; }
die() { printf '[php] error: %s\n' "$*" >&2; exit 1; }

link_prefix() {
  ln -sfn "$1" "$LINK"
  step "PHP ready: $LINK -> $1 ($("$1/bin/php" -r 'echo PHP_VERSION, PHP_ZTS ? " ZTS" : " NTS";'))"
}

# --- bring your own PHP --------------------------------------------------------
if [[ -n "${PHP_CONFIG:-}" ]]; then
  [[ -x "$PHP_CONFIG" ]] || die "PHP_CONFIG=$PHP_CONFIG is not an executable php-config"
  prefix=$("$PHP_CONFIG" --prefix)
  php_bin=$("$PHP_CONFIG" --php-binary 2>/dev/null || echo "$prefix/bin/php")
  [[ "$("$php_bin" -r 'echo PHP_ZTS;')" == 1 ]] \
    || die "$php_bin is not thread-safe (NTS); folk needs a PHP built with --enable-zts."
  [[ "$("$php_bin" -r 'echo PHP_VERSION_ID >= 80200 ? 1 : 0;')" == 1 ]] || die "folk needs PHP >= 8.2"
  link_prefix "$prefix"
  exit 0
fi

# --- apt build dependencies ----------------------------------------------------
. "$ROOT/scripts/debian.sh"
apt_install_missing "${APT_PACKAGES[@]}" || die "the build dependencies are missing (above)"

# --- which source --------------------------------------------------------------
if [[ -n "${PHP_TARBALL:-}" ]]; then
  [[ -f "$PHP_TARBALL" ]] || die "PHP_TARBALL=$PHP_TARBALL does not exist"
  tarball=$(cd "$(dirname "$PHP_TARBALL")" && pwd)/$(basename "$PHP_TARBALL")
  version=$(basename "$tarball" | sed -E 's/^php-?([0-9]+\.[0-9]+\.[0-9]+).*/\1/')
  [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "cannot read a PHP version from $(basename "$tarball") (expected php-X.Y.Z.tar.*)"
else
  version=${DEBIAN_VERSION%%-*}
  tarball=""
fi

# Folk's changes to PHP's source, applied in name order.
PATCHES=()
while IFS= read -r p; do PATCHES+=("$p"); done \
  < <(find "$ROOT/scripts/php-patches" -maxdepth 1 -type f -name '*.patch' 2>/dev/null | LC_ALL=C sort)

# Bump BUILD_REV when the build changes in a way the flags and patches do not show.
BUILD_REV=1
hash=$({
  printf '%s\n' "${CONFIGURE_FLAGS[@]}" "rev=$BUILD_REV"
  for p in "${PATCHES[@]}"; do printf 'patch=%s\n' "$(basename "$p")"; cat "$p"; done
} | sha256sum | cut -c1-12)
PREFIX="$CACHE/php-$version-zts-$hash"

if [[ -f "$PREFIX/.folk-complete" ]]; then
  link_prefix "$PREFIX"
  exit 0
fi

mkdir -p "$CACHE/src"
if [[ -z "$tarball" ]]; then
  tarball=$(ls "$CACHE"/src/php8.2_"$version".orig.tar.* 2>/dev/null | head -n1 || true)
  if [[ -z "$tarball" ]]; then
    step "fetching Debian's source package php8.2=$DEBIAN_VERSION"
    debian_source_download "$CACHE/src" "php8.2=$DEBIAN_VERSION" || die "cannot fetch PHP's source (above); pass PHP_TARBALL=..."
    tarball=$(ls "$CACHE"/src/php8.2_"$version".orig.tar.* | head -n1)
  fi
fi

# --- build ---------------------------------------------------------------------
BUILD=$(mktemp -d "$CACHE/build.XXXXXX")
trap 'rm -rf "$BUILD"' EXIT
step "unpacking $(basename "$tarball")"
tar -xf "$tarball" -C "$BUILD"
srcdir=$(find "$BUILD" -mindepth 1 -maxdepth 1 -type d | head -n1)
[[ -f "$srcdir/configure" || -f "$srcdir/buildconf" ]] || die "$tarball does not look like PHP source"
cd "$srcdir"
for p in "${PATCHES[@]}"; do
  step "applying ${p#"$ROOT"/}"
  patch -p1 --forward --batch --fuzz=0 --no-backup-if-mismatch < "$p" > "$BUILD/patch.log" 2>&1 \
    || { cat "$BUILD/patch.log" >&2; die "${p#"$ROOT"/} does not apply to PHP $version's source (patch output above)"; }
done
[[ -f configure ]] || { step "buildconf"; ./buildconf --force >/dev/null; }

step "configure (PHP $version, ZTS, embed) -> $PREFIX"
./configure --prefix="$PREFIX" --with-config-file-path="$PREFIX/etc" \
  --with-config-file-scan-dir="$PREFIX/etc/conf.d" "${CONFIGURE_FLAGS[@]}" > "$BUILD/configure.log" 2>&1 \
  || { tail -n 30 "$BUILD/configure.log" >&2; die "configure failed (full log above)"; }

step "compiling with $JOBS jobs (a few minutes; progress every 200 objects)"
start=$(date +%s)
make -j"$JOBS" 2>&1 | awk '/\.lo$|\.lo /{n++; if (n % 200 == 0) {printf "[php]   %d objects compiled\n", n > "/dev/stderr"}} /error:/{print > "/dev/stderr"}' || true
[[ -x sapi/cli/php ]] || die "compilation failed"
step "compiled in $(( $(date +%s) - start ))s; installing"
rm -rf "$PREFIX"
make install > "$BUILD/install.log" 2>&1 || { tail -n 30 "$BUILD/install.log" >&2; die "make install failed"; }
cp run-tests.php "$PREFIX/lib/php/run-tests.php"

mkdir -p "$PREFIX/etc/conf.d"
cat > "$PREFIX/etc/php.ini" <<INI
; written by folk's scripts/build-php.sh
zend_extension=opcache
opcache.enable=1
opcache.enable_cli=1
INI
"$PREFIX/bin/php" -r 'exit(PHP_ZTS && function_exists("opcache_get_status") ? 0 : 1);' \
  || die "built PHP is not ZTS or lacks opcache"
touch "$PREFIX/.folk-complete"
link_prefix "$PREFIX"
