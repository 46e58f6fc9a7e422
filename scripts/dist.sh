#!/usr/bin/env bash
# `make dist`: folk as one relocatable directory and tarball, for servers and
# container images that should not build PHP (8-10 minutes and a compiler):
# build once, copy `dist/folk-<version>-<os>-<arch>.tar.gz` anywhere, unpack
# it at any path. Inside: folk's ZTS PHP (bin/php) with its extensions
# (lib/php/extensions, enabled by etc/conf.d/*.ini), the folk extension
# (lib/libfolk.so), the folk command (bin/folk), folk's PHP side (php/), a
# commented etc/php.ini, and install-runtime-deps.sh, which installs the
# shared libraries PHP and the extensions link against with apt-get (no
# compiler, no -dev packages).
#
# Nothing in it points at the build prefix: PHP's compiled-in paths (php.ini,
# conf.d, extension_dir) are overridden by bin/folk, relative to where the
# directory is now (PHPRC, PHP_INI_SCAN_DIR, -d extension_dir).
#
#   scripts/dist.sh [OUT_DIR]   default: dist/ in the checkout
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/dist}
PHP="$ROOT/.php/bin/php"
EXT="$ROOT/target/release/libfolk.so"
say() { printf '\033[1m[dist] %s\033[0m\n' "$*" >&2; }
die() { printf '[dist] error: %s\n' "$*" >&2; exit 1; }

[[ -x "$PHP" ]] || die "no ZTS PHP at $PHP: run 'make php' first"
[[ -f "$EXT" ]] || die "no extension at $EXT: run 'make build' first"
started=$(date +%s)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -n1)
arch=$(uname -m)
name="folk-$version-linux-$arch"
prefix=$(readlink -f "$ROOT/.php")
ext_dir=$("$ROOT/.php/bin/php-config" --extension-dir)
mkdir -p "$OUT"
stage=$(mktemp -d "$OUT/.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
d="$stage/$name"

say "1/5 PHP $("$PHP" -r 'echo PHP_VERSION;') (ZTS) from $prefix"
mkdir -p "$d/bin" "$d/lib/php/extensions" "$d/etc/conf.d"
cp "$PHP" "$d/bin/php"
cp "$ext_dir"/*.so "$d/lib/php/extensions/"
cp "$prefix"/etc/conf.d/*.ini "$d/etc/conf.d/" 2>/dev/null || true
cp "$EXT" "$d/lib/libfolk.so"
# Debug info off (the build keeps it for perf and backtraces); symbols stay, so a crash still names functions.
strip --strip-debug "$d/bin/php" "$d/lib/libfolk.so" "$d/lib/php/extensions/"*.so

say "2/5 folk's PHP side and the folk command"
cp -r "$ROOT/php" "$d/php"
cat > "$d/bin/folk" <<'SH'
#!/usr/bin/env bash
# The folk command of a folk distribution: PHP, its php.ini, conf.d and
# extensions are the ones next to this file, wherever the directory is.
#   folk serve [ROOT] [--worker FILE] [--listen ADDR] [--fastcgi ADDR] ...   folk help
#   folk php [ARGS]    this distribution's PHP with folk loaded (php -m, a script, ...)
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
export PHPRC="$here/etc" PHP_INI_SCAN_DIR="$here/etc/conf.d"
php=("$here/bin/php" -d "extension_dir=$here/lib/php/extensions" -d "extension=$here/lib/libfolk.so")
if [[ "${1:-}" == php ]]; then
  shift
  exec "${php[@]}" "$@"
fi
exec "${php[@]}" "$here/php/folk/cli.php" "$@"
SH
chmod +x "$d/bin/folk"
cat > "$d/etc/php.ini" <<'INI'
; php.ini of a folk distribution (bin/folk loads it through PHPRC, wherever the
; directory is unpacked). The files in conf.d/ next to it load after it: one per
; extension; remove one to disable that extension.
;
; Put your settings here as in any php.ini. folk's own options can be set as
; folk.* directives too (README "Options"), e.g.:
;   folk.workers.count = 8
;   folk.http.listen = 0.0.0.0:8080

; Compiled PHP code stays in memory between requests.
zend_extension=opcache
opcache.enable=1
opcache.enable_cli=1

; Production error handling, as Debian's php.ini-production: log, do not display.
display_errors=Off
log_errors=On
error_reporting=E_ALL & ~E_DEPRECATED & ~E_STRICT
INI

say "3/5 the runtime libraries it links against (Debian packages)"
mapfile -t elves < <(find "$d/bin/php" "$d/lib" -type f \( -name php -o -name '*.so' \))
mapfile -t libs < <(for f in "${elves[@]}"; do ldd "$f" 2>/dev/null | awk '/=> \// {print $3}'; done | sort -u)
mapfile -t pkgs < <(for l in "${libs[@]}"; do dpkg -S "$(readlink -f "$l")" 2>/dev/null || dpkg -S "$l" 2>/dev/null || true; done \
  | cut -d: -f1 | sort -u)
((${#pkgs[@]})) || die "could not map the shared libraries to Debian packages (dpkg -S)"
{
  echo '#!/usr/bin/env bash'
  echo "# Installs the Debian packages of the shared libraries this folk distribution's"
  echo "# PHP and extensions link against (found with ldd + dpkg -S when it was built)."
  echo "# Run as root on Debian 12 (bookworm). No compiler, no -dev packages."
  echo 'set -euo pipefail'
  echo 'export DEBIAN_FRONTEND=noninteractive'
  echo "packages=(${pkgs[*]})"
  echo 'missing=(); for p in "${packages[@]}"; do dpkg-query -W -f='"'"'${Status}'"'"' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done'
  echo 'if ((${#missing[@]} == 0)); then echo "folk: every runtime library is installed (${#packages[@]} packages)"; exit 0; fi'
  echo 'echo "folk: installing ${missing[*]}"'
  echo 'apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"'
} > "$d/install-runtime-deps.sh"
chmod +x "$d/install-runtime-deps.sh"
say "    ${#libs[@]} libraries from ${#pkgs[@]} packages"

say "4/5 checking it runs from where it is, built prefix aside"
got=$("$d/bin/folk" php -r 'echo ini_get("extension_dir"), "|", php_ini_loaded_file(), "|", extension_loaded("folk") ? "folk" : "-";')
[[ "$got" == "$d/lib/php/extensions|$d/etc/php.ini|folk" ]] || die "the distribution does not load its own php.ini and extensions: $got"

say "5/5 tarball"
rm -rf "${OUT:?}/$name" "$OUT/$name.tar.gz"
tar -C "$stage" -czf "$OUT/$name.tar.gz" "$name"
mv "$d" "$OUT/$name"
say "dist ready in $(( $(date +%s) - started ))s: $OUT/$name.tar.gz ($(du -h "$OUT/$name.tar.gz" | cut -f1)), unpacked $(du -sh "$OUT/$name" | cut -f1)"
echo "$OUT/$name.tar.gz"
