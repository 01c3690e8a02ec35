#!/usr/bin/env bash
# native/build.sh -- the embedded frontend: one static binary per architecture, made of quickjs-ng
# (Debian's qjs-src: the engine's C sources as Debian packages them), the frontend bundle
# (dist/embedded/frontend.js) compiled to bytecode by the qjsc of the same tree, and native/main.c.
# Debian 12's gcc builds amd64; its gcc-aarch64-linux-gnu cross-compiles arm64 from the same
# sources (both installed here when missing). Nothing of quickjs is committed: it is fetched from
# Debian's mirror, like every other package the tests install.
#
# Usage (root, for apt): native/build.sh [amd64] [arm64]     default: both
# Prints the path of each binary: build/native/dfrewrite-frontend-<arch>
#
# Settings (environment):
#   DFREWRITE_QJS_SRC      a quickjs-ng source tree to use instead of Debian's qjs-src (a Dockerfile
#                          stage that installed qjs-src passes /usr/src/quickjs-ng)
#   DFREWRITE_QJS_MIRROR   Debian mirror for qjs-src (default: the first one in the host's apt sources)
#   DFREWRITE_QJS_SUITE    Debian suite that has qjs-src (default: sid; Debian 12 has none)
#   DFREWRITE_BUNDLE       prebuilt: compile dist/embedded/frontend.js as it is (Dockerfile.frontend
#                          bundles in another stage, with Node); default: bundle it first (node)
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=build/native
SUITE=${DFREWRITE_QJS_SUITE:-sid}
ARCHES=("$@")
[ ${#ARCHES[@]} -gt 0 ] || ARCHES=(amd64 arm64)
LIB_SOURCES=(quickjs.c quickjs-libc.c libregexp.c libunicode.c dtoa.c)
CFLAGS=(-O2 -D_GNU_SOURCE -w)
HOST_APT=(apt-get -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends)

say() { echo "[native/build $(date +%T)] $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

compiler_for() {
  case $1 in
    amd64) echo x86_64-linux-gnu-gcc ;;
    arm64) echo aarch64-linux-gnu-gcc ;;
    *) die "unknown architecture $1 (amd64 or arm64)" ;;
  esac
}

host_mirror() {
  local m=${DFREWRITE_QJS_MIRROR:-}
  [ -n "$m" ] || m=$({ awk '/^URIs:/ {print $2}' /etc/apt/sources.list.d/*.sources 2>/dev/null
    awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:\/\//) { print $i; break } }' \
      /etc/apt/sources.list 2>/dev/null; } | grep -v -e security -e nodesource -e google | head -n 1)
  [ -n "$m" ] || die "no Debian mirror found in the host's apt sources; set DFREWRITE_QJS_MIRROR"
  echo "$m"
}

# Debian's qjs-src, unpacked under $OUT/qjs-src-<version>; prints the source tree's path. A private
# apt state (lists, archives) reads the suite's index without touching the host's sources.
debian_sources() {
  local apt_dir=$PWD/$OUT/apt
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial"
  # Debian's keys by name, so that a host of another distribution (Ubuntu's CI runners) can check
  # the suite with the debian-archive-keyring package
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg signed=
  [ ! -e "$keyring" ] || signed="[signed-by=$keyring] "
  echo "deb $signed$(host_mirror) $SUITE main" > "$apt_dir/sources.list"
  local apt=(apt-get -q -o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache::Archives="$apt_dir/archives"
    -o Acquire::Check-Valid-Until=false)
  "${apt[@]}" update > "$apt_dir/update.log" 2>&1 || { tail -n 20 "$apt_dir/update.log" >&2; die "apt-get update ($SUITE) failed"; }
  local version
  version=$(apt-cache -o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null \
    -o Dir::State::Lists="$apt_dir/lists" show qjs-src 2>/dev/null | awk '/^Version:/ {print $2; exit}')
  [ -n "$version" ] || die "qjs-src is not in $SUITE"
  local tree=$PWD/$OUT/qjs-src-$version
  if [ ! -e "$tree/.unpacked" ]; then
    say "fetching qjs-src $version from $SUITE"
    (cd "$apt_dir" && "${apt[@]}" download qjs-src > download.log 2>&1) || die "apt-get download qjs-src failed"
    rm -rf "$tree" && mkdir -p "$tree"
    dpkg-deb -x "$apt_dir"/qjs-src_*.deb "$tree/deb"
    mv "$tree/deb/usr/src/quickjs-ng" "$tree/src" && rm -rf "$tree/deb" "$apt_dir"/qjs-src_*.deb
    touch "$tree/.unpacked"
  fi
  echo "$tree/src"
}

ensure_compiler() {
  local cc=$1 package=$2
  command -v "$cc" > /dev/null && return 0
  say "installing $package"
  local log=$OUT/apt-${package%% *}.log
  "${HOST_APT[@]}" install $package > "$log" 2>&1 || { tail -n 20 "$log" >&2; die "apt-get install $package failed"; }
}

# quickjs-libc.c with native/patches applied, beside the untouched tree; prints its path.
patched_libc() {
  local src=$1 out=$OUT/patched/quickjs-libc.c
  mkdir -p "$OUT/patched"
  cp "$src/quickjs-libc.c" "$out.tmp"
  for p in native/patches/*.patch; do patch -s "$out.tmp" "$p" >&2 || die "$p does not apply to $src"; done
  mv "$out.tmp" "$out"
  echo "$out"
}

# The engine's objects for one architecture, rebuilt only when the sources, patches or flags change.
engine_library() {
  local arch=$1 cc=$2 src=$3
  local dir=$OUT/$arch
  local stamp="$src $(cat native/patches/*.patch | sha256sum | cut -c1-16) ${CFLAGS[*]}"
  mkdir -p "$dir"
  if [ -e "$dir/libqjs.a" ] && [ "$(cat "$dir/libqjs.stamp" 2>/dev/null)" = "$stamp" ]; then
    echo "$dir/libqjs.a"; return 0
  fi
  say "compiling quickjs-ng for $arch"
  local objects=()
  for file in "${LIB_SOURCES[@]}"; do
    local input=$src/$file
    [ "$file" != quickjs-libc.c ] || input=$(patched_libc "$src")
    "$cc" "${CFLAGS[@]}" -I"$src" -c "$input" -o "$dir/${file%.c}.o"
    objects+=("$dir/${file%.c}.o")
  done
  rm -f "$dir/libqjs.a" && ar rcs "$dir/libqjs.a" "${objects[@]}" && rm -f "${objects[@]}"
  echo "$stamp" > "$dir/libqjs.stamp"
  echo "$dir/libqjs.a"
}

# What the binary links in, for the release's SBOM (scripts/release/sbom.mjs --native): quickjs-ng's
# version and Debian's package of it, glibc's and libgcc's (static: they are in the binary).
components() {
  local cc=$1 src=$2 qjs qjs_deb glibc libc libc_deb
  qjs=$(awk '/#define QJS_VERSION_(MAJOR|MINOR|PATCH) / { v = v (v == "" ? "" : ".") $3 } END { print v }' "$src/quickjs.h")
  case $src in
    */qjs-src-*/src) qjs_deb=${src%/src}; qjs_deb=${qjs_deb##*/qjs-src-} ;;
    *) qjs_deb=$(dpkg-query -W -f '${Version}' qjs-src 2> /dev/null || true) ;;
  esac
  glibc=$(echo '#include <features.h>' | "$cc" -dM -E - | awk '$2 == "__GLIBC__" { a = $3 } $2 == "__GLIBC_MINOR__" { b = $3 } END { print a "." b }')
  libc=$(dpkg-query -S "$(realpath "$("$cc" -print-file-name=libc.a)")" 2> /dev/null | head -n 1 | cut -d: -f1)
  libc_deb=$(dpkg-query -W -f '${Version}' "$libc" 2> /dev/null || true)
  printf '{"quickjs-ng":"%s","qjs-src":"%s","glibc":"%s","libc-package":"%s %s","libgcc":"%s"}\n' \
    "$qjs" "$qjs_deb" "$glibc" "$libc" "$libc_deb" "$("$cc" -dumpfullversion)"
}

mkdir -p "$OUT"
src=${DFREWRITE_QJS_SRC:-$(debian_sources)}
[ -e "$src/quickjs.c" ] || die "no quickjs-ng sources in $src"
ensure_compiler x86_64-linux-gnu-gcc gcc
host_arch=$(dpkg --print-architecture)
host_cc=$(compiler_for "$host_arch")

# qjsc, for this machine, from the same tree as the engine it compiles for
host_lib=$(engine_library "$host_arch" "$host_cc" "$src")
if [ ! -x "$OUT/qjsc" ] || [ "$host_lib" -nt "$OUT/qjsc" ]; then
  "$host_cc" "${CFLAGS[@]}" -I"$src" "$src/qjsc.c" "$host_lib" -lm -lpthread -o "$OUT/qjsc"
fi

[ "${DFREWRITE_BUNDLE:-}" = prebuilt ] || node scripts/build.mjs
# -s: no source text in the bytecode (line numbers stay, for stack traces in the log)
"$OUT/qjsc" -s -m -N dfrewrite_frontend -o "$OUT/frontend-bytecode.c" dist/embedded/frontend.js

for arch in "${ARCHES[@]}"; do
  cc=$(compiler_for "$arch")
  [ "$arch" = amd64 ] || ensure_compiler "$cc" "gcc-aarch64-linux-gnu libc6-dev-arm64-cross"
  lib=$(engine_library "$arch" "$cc" "$src")
  binary=$OUT/dfrewrite-frontend-$arch
  # each file written aside and renamed into place: an image build may be reading the last one
  "$cc" "${CFLAGS[@]}" -static -s -I"$src" native/main.c native/sha256.c "$OUT/frontend-bytecode.c" "$lib" -lm -lpthread -o "$binary.new"
  mv -f "$binary.new" "$binary"
  cp dist/embedded/frontend.js "$OUT/$arch/frontend.js.new"   # what it was built from, for the tests
  mv -f "$OUT/$arch/frontend.js.new" "$OUT/$arch/frontend.js"
  components "$cc" "$src" > "$OUT/$arch/components.json.new"
  mv -f "$OUT/$arch/components.json.new" "$OUT/$arch/components.json"
  say "$binary: $(stat -c %s "$binary") bytes"
  echo "$PWD/$binary"
done
