# Sourced by build-php.sh and build-extensions.sh: the two things both do with
# Debian's archive, in one place so they cannot drift apart. The caller defines
# step() (progress) before sourcing; these functions print why they failed and
# return 1, and the caller decides whether that stops its build.

# Installs those of the given packages that are not installed yet (nothing, and no
# apt-get update, when all are): apt_install_missing PKG...
apt_install_missing() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  step "installing build dependencies: ${missing[*]}"
  if [[ $(id -u) != 0 ]]; then
    echo "need root to apt-get install ${missing[*]} (or install them yourself)" >&2
    return 1
  fi
  # apt's chatter (debconf's notes) only when it fails.
  local log
  log=$(mktemp)
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
         && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } > "$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -f "$log"
    echo "apt-get install ${missing[*]} failed (above)" >&2
    return 1
  fi
  rm -f "$log"
}

# Downloads a Debian source package (.dsc, orig and debian tarballs) into DIR
# without unpacking it: debian_source_download DIR PACKAGE=VERSION. Enables the
# deb-src lines first when no apt source has them, by copying the deb entries of
# /etc/apt/sources.list.d/debian.sources (Debian 12's default) as deb-src.
debian_source_download() {
  local dir=$1 spec=$2 src_list=/etc/apt/sources.list.d/folk-deb-src.sources
  if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    if [[ ! -f /etc/apt/sources.list.d/debian.sources ]]; then
      echo "no deb-src line in apt's sources and no /etc/apt/sources.list.d/debian.sources to copy one from" >&2
      return 1
    fi
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$src_list"
    apt-get update -qq || return 1
  fi
  mkdir -p "$dir"
  (cd "$dir" && apt-get source --download-only "$spec" >/dev/null 2>&1) || {
    echo "apt-get source --download-only $spec failed (not in apt's deb-src sources, or the mirror does not have its files)" >&2
    return 1
  }
}
