#!/usr/bin/env bash
# Builds the PECL extensions real applications load — igbinary, msgpack, APCu,
# phpredis, memcached, Imagick, yaml, Xdebug, pcov — for folk's ZTS PHP (.php/),
# which none of Debian's php8.2-* extension packages (NTS builds) load into.
#
# Each one is Debian bookworm's source package (the version Debian ships, with
# Debian's patches), built with phpize against .php/bin/php-config and installed
# into that prefix's extension dir. A marker in the prefix caches it, so a new
# PHP build (a new prefix, keyed by its own build hash) rebuilds them all. All
# but Xdebug and pcov are enabled by <prefix>/etc/conf.d/<nn>-<name>.ini; delete
# that file to disable one (make php does not bring it back while its marker
# <prefix>/.folk-ext-<name>-* is there). Xdebug and pcov slow every request, so
# they are only built; load them per run:
#   php -d zend_extension=xdebug -d xdebug.mode=debug ...     (or develop, coverage, profile)
#   php -d extension=pcov -d pcov.enabled=1 ...   (pcov.directory=...: by default src/, lib/ or app/ of the working directory)
#
# scripts/ext-patches/<name>/*.patch are folk's fixes to an extension (patch -p1 in
# its directory, name order, after Debian's); their contents are part of its cache key.
#
# A source package the archive (or its mirror) cannot serve skips that extension
# with a warning, and so do the ones that need it; the reason is kept in
# <prefix>/.folk-ext-<name>-skipped, which the tests read to skip with it.
#
#   EXT_SOURCE_<name>=/path/to/<name>-<version>   build <name> from that upstream source tree
#       instead of Debian's package (no Debian patches), where the archive lacks it
#   PHP_CONFIG=...   (build-php.sh's "bring your own PHP"): nothing is built; its extensions are yours
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE="${FOLK_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/folk}"
JOBS=$(nproc 2>/dev/null || echo 2)
FOLK_SO="$ROOT/target/release/libfolk.so"

step() { printf '\033[1m[ext] %s\033[0m\n' "$*" >&2; }
warn() { printf '\033[1;33m[ext] warning: %s\033[0m\n' "$*" >&2; }
die() { printf '[ext] error: %s\n' "$*" >&2; exit 1; }
. "$ROOT/scripts/debian.sh"

if [[ -n "${PHP_CONFIG:-}" ]]; then
  step "PHP_CONFIG is set (your own PHP): no extensions built; install the ones you need into it yourself"
  exit 0
fi
[[ -x "$ROOT/.php/bin/php-config" ]] || die "no .php/bin/php-config: run scripts/build-php.sh first"
PREFIX=$(cd "$ROOT/.php" && pwd -P)
PHP="$PREFIX/bin/php"
PHP_CONFIG_BIN="$PREFIX/bin/php-config"
EXT_DIR=$("$PHP_CONFIG_BIN" --extension-dir)
CONF_D="$PREFIX/etc/conf.d"

# In build order: a serializer before the clients built with it.
EXTENSIONS=(igbinary msgpack apcu redis memcached imagick yaml xdebug pcov)
declare -A SOURCE_PACKAGE=(
  [igbinary]="php-igbinary=3.2.13-1"
  [msgpack]="php-msgpack=1:2.2.0~rc2-3"
  [apcu]="php-apcu=5.1.22+4.0.11-2"
  [redis]="php-redis=5.3.7+4.3.0-3"
  [memcached]="php-memcached=3.2.0+2.2.0-4"
  [imagick]="php-imagick=3.7.0-4"
  [yaml]="php-yaml=2.2.2+2.1.0+2.0.4+1.3.2-6"
  [xdebug]="xdebug=3.2.0+3.1.6+2.9.8+2.8.1+2.5.5-3"
  [pcov]="php-pcov=1.0.11-5"
)
# The upstream version built: the directory <name>-<version> in the source package.
# Debian's multi-version packages (apcu, redis, memcached, yaml, xdebug) carry one
# directory per upstream release, the older ones for PHP 5 and 7; the newest is
# the only one that supports PHP 8.2.
declare -A UPSTREAM=(
  [igbinary]=3.2.13 [msgpack]=2.2.0RC2 [apcu]=5.1.22 [redis]=5.3.7 [memcached]=3.2.0
  [imagick]=3.7.0 [yaml]=2.2.2 [xdebug]=3.2.0 [pcov]=1.0.11
)
# Debian's patches (dpkg-source applies debian/patches/series when it unpacks, and
# fails if one does not apply): php-redis's and xdebug's change only the top-level
# package.xml (metadata, not built); php-imagick's limit ImageMagick's OpenMP threads
# to 1 (segfaults otherwise), skip the ImageMagick version check at startup and turn
# off upstream tests; the others have none.
declare -A CONFIGURE_FLAGS=(
  [igbinary]="--enable-igbinary"
  [msgpack]="--with-msgpack"
  [apcu]="--enable-apcu"
  # Debian's flags (lzf from the bundled copy) plus msgpack.
  [redis]="--enable-redis --enable-redis-igbinary --enable-redis-msgpack --enable-redis-lzf --without-liblzf
           --enable-redis-lz4 --with-liblz4 --enable-redis-zstd --with-libzstd"
  [memcached]="--enable-memcached --enable-memcached-igbinary --enable-memcached-msgpack --enable-memcached-json
               --enable-memcached-session --with-zlib-dir=/usr"
  [imagick]="--with-imagick"
  [yaml]="--with-yaml"
  [xdebug]="--enable-xdebug"
  [pcov]="--enable-pcov"
)
declare -A APT_DEPS=(
  [redis]="liblz4-dev libzstd-dev"
  [memcached]="libmemcached-dev zlib1g-dev"
  [imagick]="libmagickwand-dev"
  [yaml]="libyaml-dev"
  [xdebug]="zlib1g-dev"
)
# Built with these, so loaded after them: their headers at build time, their symbols at load time.
declare -A NEEDS=([redis]="igbinary msgpack" [memcached]="igbinary msgpack")
# The conf.d file name's number: PHP reads conf.d in name order, so 25 loads after 20.
declare -A PRIORITY=([redis]=25 [memcached]=25)
declare -A ZEND_EXTENSION=([xdebug]=1)
declare -A NOT_ENABLED=([xdebug]=1 [pcov]=1)
COMMON_APT=(build-essential autoconf pkg-config dpkg-dev xz-utils patch)

# Bump BUILD_REV when the build changes in a way the flags do not show.
BUILD_REV=1

ini_path() { echo "$CONF_D/${PRIORITY[$1]:-20}-$1.ini"; }
load_directive() { [[ -n "${ZEND_EXTENSION[$1]:-}" ]] && echo zend_extension || echo extension; }
# folk's patches to one extension, in the order they apply.
ext_patches() { find "$ROOT/scripts/ext-patches/$1" -maxdepth 1 -type f -name '*.patch' 2>/dev/null | LC_ALL=C sort; }
# The marker of a build: what was built and how (the file holds the source it came from;
# delete it to rebuild from another).
marker_of() {
  local name=$1 spec=${SOURCE_PACKAGE[$1]} key p
  key=$({
    printf '%s\n' "$spec" "${CONFIGURE_FLAGS[$name]}" "rev=$BUILD_REV"
    while read -r p; do printf 'patch=%s\n' "$(basename "$p")"; cat "$p"; done < <(ext_patches "$name")
  } | sha256sum | cut -c1-8)
  local version=${spec#*=}
  echo "$PREFIX/.folk-ext-$name-${version#*:}-$key"
}
# have_source_package DSC: the .dsc and every file it lists are in $CACHE/src (a failed
# download can leave the .dsc alone).
have_source_package() {
  [[ -f "$1" ]] || return 1
  local f
  while read -r f; do [[ -f "$CACHE/src/$f" ]] || return 1; done < <(sed -n '/^Files:/,/^$/p' "$1" | awk 'NF == 3 {print $3}')
}
skip() { # skip NAME REASON: no ini, the reason kept for the tests
  warn "$1 skipped: $2"
  printf '%s\n' "$2" > "$PREFIX/.folk-ext-$1-skipped"
  SKIPPED+=("$1")
}

# Every checkout on this machine links .php to the same cached prefix: one build into it at a time.
exec 9> "$PREFIX/.folk-ext.lock"
flock -n 9 || { step "another build-extensions.sh is building into $PREFIX; waiting for it"; flock 9; }

mkdir -p "$CONF_D" "$CACHE/src"
BUILD=$(mktemp -d "$CACHE/build-ext.XXXXXX")
trap 'rm -rf "$BUILD"' EXIT
SKIPPED=()
total_start=$(date +%s)
n=${#EXTENSIONS[@]}
i=0
for name in "${EXTENSIONS[@]}"; do
  i=$((i + 1))
  spec=${SOURCE_PACKAGE[$name]}
  package=${spec%%=*} deb_version=${spec#*=}
  upstream=${UPSTREAM[$name]}
  override_var="EXT_SOURCE_$name"
  marker=$(marker_of "$name")
  label="extension $i/$n: $name ($upstream)"
  if [[ -f "$marker" ]]; then
    step "$label: built (cached)"
    continue
  fi
  start=$(date +%s)
  step "$label"

  missing_dep=""
  for dep in ${NEEDS[$name]:-}; do
    compgen -G "$PREFIX/.folk-ext-$dep-*" > /dev/null && [[ ! -f "$PREFIX/.folk-ext-$dep-skipped" ]] || missing_dep=$dep
  done
  if [[ -n "$missing_dep" ]]; then skip "$name" "it is built with $missing_dep, which was not built"; continue; fi

  # shellcheck disable=SC2086 # word lists
  apt_install_missing "${COMMON_APT[@]}" ${APT_DEPS[$name]:-} \
    || { skip "$name" "its build dependencies could not be installed: ${APT_DEPS[$name]:-} ${COMMON_APT[*]}"; continue; }

  # --- source: Debian's package, unpacked with its patches applied ----------------
  if [[ -n "${!override_var:-}" ]]; then
    [[ -f "${!override_var}/config.m4" ]] || die "$override_var=${!override_var} has no config.m4"
    step "  source: $override_var=${!override_var} (not Debian's package; no Debian patches)"
    srcdir="$BUILD/$name-$upstream"
    cp -a "${!override_var}" "$srcdir"
  else
    dsc="$CACHE/src/${package}_${deb_version#*:}.dsc"
    if ! have_source_package "$dsc"; then
      step "  fetching Debian's source package $spec"
      if ! debian_source_download "$CACHE/src" "$spec" || ! have_source_package "$dsc"; then
        skip "$name" "Debian's source package $spec could not be downloaded (apt-get source --download-only failed: not in this machine's Debian mirror)"
        continue
      fi
    fi
    dpkg-source --no-copy -x "$dsc" "$BUILD/$package" > "$BUILD/$name-unpack.log" 2>&1 \
      || { tail -n 20 "$BUILD/$name-unpack.log" >&2; die "$name: dpkg-source -x $(basename "$dsc") failed (above): a Debian patch that does not apply?"; }
    srcdir="$BUILD/$package/$name-$upstream"
    [[ -f "$srcdir/config.m4" ]] || die "$name: $spec has no $name-$upstream/ directory (has: $(cd "$BUILD/$package" && echo */))"
  fi

  while read -r p; do
    step "  applying ${p#"$ROOT"/}"
    patch -d "$srcdir" -p1 --forward --batch --fuzz=0 --no-backup-if-mismatch < "$p" > "$BUILD/$name-patch.log" 2>&1 \
      || { cat "$BUILD/$name-patch.log" >&2; die "${p#"$ROOT"/} does not apply to $name $upstream (patch output above)"; }
  done < <(ext_patches "$name")

  # --- build, staged (make install INSTALL_ROOT=...), then moved into the prefix --
  log="$BUILD/$name.log"
  stage="$BUILD/$name-stage"
  fail() {
    cp "$log" "$CACHE/build-ext-$name.log"
    tail -n 30 "$log" >&2
    die "extension $name failed at $1 (last lines above; full log: $CACHE/build-ext-$name.log)"
  }
  # shellcheck disable=SC2086 # the flag list
  (cd "$srcdir" && "$PREFIX/bin/phpize") > "$log" 2>&1 || fail phpize
  (cd "$srcdir" && ./configure --with-php-config="$PHP_CONFIG_BIN" ${CONFIGURE_FLAGS[$name]}) >> "$log" 2>&1 || fail configure
  (cd "$srcdir" && make -j"$JOBS") >> "$log" 2>&1 || fail make
  (cd "$srcdir" && make install INSTALL_ROOT="$stage") >> "$log" 2>&1 || fail "make install"
  so="$stage$EXT_DIR/$name.so"
  [[ -f "$so" ]] || fail "make install (no $name.so in $stage$EXT_DIR)"

  # An older build's ini goes first, so no PHP starting meanwhile loads a half-replaced
  # .so; the new .so is moved in whole (a rename: a running PHP keeps its mapped copy).
  rm -f "$(ini_path "$name")" "$PREFIX"/.folk-ext-"$name"-*
  [[ -d "$stage$PREFIX/include" ]] && cp -a "$stage$PREFIX/include/." "$PREFIX/include/"
  install -m 0755 "$so" "$EXT_DIR/.$name.so.new"
  mv -f "$EXT_DIR/.$name.so.new" "$EXT_DIR/$name.so"

  # --- it loads (alone, with its dependencies; and with the conf.d so far and folk) ---
  directive=$(load_directive "$name")
  deps=()
  for dep in ${NEEDS[$name]:-}; do deps+=(-d "extension=$dep"); done
  out=$("$PHP" -n "${deps[@]}" -d "$directive=$name" -m 2>&1) || true
  { grep -qix "$name" <<< "$out" && ! grep -qiE 'warning|error|unable' <<< "$out"; } \
    || { echo "$out" >&2; die "extension $name was built but does not load: php -n ${deps[*]} -d $directive=$name -m (output above)"; }
  with_folk=()
  [[ -f "$FOLK_SO" ]] && with_folk=(-d "extension=$FOLK_SO")
  out=$("$PHP" -d "$directive=$name" "${with_folk[@]}" -m 2>&1) || true
  { grep -qix "$name" <<< "$out" && ! grep -qiE 'warning|error|unable' <<< "$out"; } \
    || { echo "$out" >&2; die "extension $name does not load next to the enabled ones${with_folk:+ and folk} (output above)"; }

  # --- enabled by its own ini (written whole, then renamed) -----------------------
  if [[ -z "${NOT_ENABLED[$name]:-}" ]]; then
    ini=$(ini_path "$name")
    {
      echo "; written by folk's scripts/build-extensions.sh ($spec); delete this file to disable $name"
      echo "extension=$name"
      if [[ $name == apcu ]]; then
        echo "; folk serves requests from threads of php-cli (php server.php), and APCu turns itself"
        echo "; off at startup under the cli SAPI unless apc.enable_cli is on"
        echo "apc.enable_cli=1"
      fi
    } > "$ini.tmp.$$"
    mv -f "$ini.tmp.$$" "$ini"
  fi
  rm -f "$PREFIX/.folk-ext-$name-skipped"
  echo "${!override_var:-$spec}" > "$marker"
  step "$label: built in $(( $(date +%s) - start ))s"
done

built=$(( n - ${#SKIPPED[@]} ))
step "$built/$n extensions ready in $(( $(date +%s) - total_start ))s (enabled by $CONF_D/*.ini; xdebug and pcov built, not enabled)"
((${#SKIPPED[@]} == 0)) || warn "skipped: ${SKIPPED[*]} (reasons above, and in $PREFIX/.folk-ext-<name>-skipped)"
