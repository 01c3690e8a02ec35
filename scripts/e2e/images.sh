#!/usr/bin/env bash
# Local base images for the e2e tests, made without a registry, in the daemon DOCKER_HOST names
# (CLI: $DFREWRITE_E2E_DOCKER, default docker). Idempotent: an image already present is kept.
#
#   local/busybox-amd64, local/busybox-arm64             Debian's busybox-static plus applet links
#
# Also makes arm64 RUN steps work on an amd64 host (QEMU through binfmt_misc). Needs root and apt.
# Downloads are kept under $DFREWRITE_E2E_ROOT/images (default /var/tmp/dfrewrite-e2e).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ARCHS="amd64 arm64"
ROOT=${DFREWRITE_E2E_ROOT:-/var/tmp/dfrewrite-e2e}
W=$ROOT/images
DOCKER=${DFREWRITE_E2E_DOCKER:-docker}
NATIVE=$(dpkg --print-architecture)

log() { echo "images: $*" >&2; }
docker_() { DOCKER_BUILDKIT=1 "$DOCKER" "$@"; }

present() {  # present TAG ARCH: the tag exists and really is for ARCH
  [ "$(docker_ image inspect -f '{{.Os}}/{{.Architecture}}' "$1" 2>/dev/null)" = "linux/$2" ]
}

debs() {  # debs PKG...: download Debian packages for every arch in $ARCHS into $W/debs
  local a p want=()
  for a in $ARCHS; do
    e2e_apt_arch "$a"
    for p in "$@"; do ls "$W"/debs/"${p}"_*_"$a".deb > /dev/null 2>&1 || want+=("$p:$a"); done
  done
  [ ${#want[@]} = 0 ] || (mkdir -p "$W/debs" && cd "$W/debs" && apt-get download -q "${want[@]}" >&2)
}

import_rootfs() {  # import_rootfs DIR TAG ARCH CONFIG-LINE...
  # a FROM scratch build rather than 'docker import': 20.10's import ignores --platform
  local dir=$1 tag=$2 arch=$3 ctx; shift 3
  ctx=$(mktemp -d "$W/ctx.XXXXXX")
  tar -C "$dir" -cf "$ctx/rootfs.tar" .
  printf '%s\n' 'FROM scratch' 'ADD rootfs.tar /' "$@" > "$ctx/Dockerfile"
  docker_ build -q --network=none --platform "linux/$arch" -t "$tag" "$ctx" > /dev/null
  rm -rf "$ctx"
  log "$tag: $(docker_ image inspect -f '{{.Os}}/{{.Architecture}} {{.Size}} bytes' "$tag")"
}

deb_file() { ls "$W"/debs/"$1"_*_"$2".deb; }   # deb_file PKG ARCH

busybox() {
  local a
  for a in $ARCHS; do
    present "local/busybox-$a" "$a" && continue
    debs busybox-static
    e2e_busybox_from_deb "$(deb_file busybox-static "$a")" "$W/busybox-$a"
    # applet links at their canonical paths, listed by the native binary (same package version)
    e2e_busybox_from_deb "$(deb_file busybox-static "$NATIVE")" "$W/busybox-native"
    e2e_busybox_rootfs "$W/rootfs/busybox-$a" "$W/busybox-$a" "$W/busybox-native"
    import_rootfs "$W/rootfs/busybox-$a" "local/busybox-$a" "$a" 'CMD ["sh"]'
  done
}

mkdir -p "$W"
e2e_binfmt "$W"
busybox
e2e_check_images "$DOCKER" "$ARCHS"
