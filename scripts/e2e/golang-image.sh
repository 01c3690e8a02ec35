#!/usr/bin/env bash
# Go toolchain images for the build-on-build-platform e2e tests and bench, made without a registry
# from Debian's packages (golang-1.19-go, its source, libc6) on local/busybox-<arch>, in the daemon
# DOCKER_HOST names. Run after images.sh. Idempotent: an image already present is kept.
#
#   local/golang-amd64, local/golang-arm64   the toolchain per architecture (GOLANG_ARCHS, default both)
#   local/golang                             an index of both (engines with the containerd image store);
#                                            on Docker 20.10 the native image under that name
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ARCHS=${GOLANG_ARCHS:-amd64 arm64}
GO=golang-1.19
ROOT=${DFREWRITE_E2E_ROOT:-/var/tmp/dfrewrite-e2e}
W=$ROOT/golang
DOCKER=${DFREWRITE_E2E_DOCKER:-docker}
NATIVE=$(dpkg --print-architecture)

log() { echo "golang-image: $*" >&2; }
docker_() { DOCKER_BUILDKIT=1 "$DOCKER" "$@"; }
present() { [ "$(docker_ image inspect -f '{{.Os}}/{{.Architecture}}' "$1" 2>/dev/null)" = "linux/$2" ]; }

mkdir -p "$W/debs"
for a in $ARCHS; do
  present "local/golang-$a" "$a" && continue
  e2e_apt_arch "$a"
  (cd "$W/debs" && for p in "$GO-go:$a" "$GO-src" "libc6:$a"; do
    ls "${p%%:*}"_*_"$([ "$p" = "$GO-src" ] && echo all || echo "$a")".deb > /dev/null 2>&1 || e2e_apt_get download "$p"
  done)
  ctx=$(mktemp -d "$W/ctx.XXXXXX")
  mkdir -p "$ctx/rootfs/usr/local/bin"
  for deb in "$W"/debs/"$GO"-go_*_"$a".deb "$W"/debs/"$GO"-src_*_all.deb "$W"/debs/libc6_*_"$a".deb; do
    dpkg-deb -x "$deb" "$ctx/rootfs"
  done
  # the source lives in /usr/share/go-1.19 (linked from the GOROOT): keep it, drop the docs. Go 1.20+
  # ships no compiled standard library (builds compile it into the cache): drop 1.19's to build as they do
  rm -rf "$ctx"/rootfs/usr/share/{doc,man,lintian,locale} "$ctx"/rootfs/usr/lib/go-1.19/pkg/linux_*
  ln -s "/usr/lib/${GO/golang/go}/bin/go" "$ctx/rootfs/usr/local/bin/go"
  tar -C "$ctx/rootfs" -cf "$ctx/rootfs.tar" . && rm -rf "$ctx/rootfs"
  printf '%s\n' "FROM local/busybox-$a" 'ADD rootfs.tar /' 'ENV PATH=/usr/local/bin:/usr/bin:/bin' > "$ctx/Dockerfile"
  docker_ build -q --network=none --platform "linux/$a" -t "local/golang-$a" "$ctx" > /dev/null
  rm -rf "$ctx"
  log "local/golang-$a: $(docker_ run --rm --network=none --platform "linux/$a" "local/golang-$a" go version)"
done

# one name for both platforms: an index where the engine can build one, else the native image
ctx=$(mktemp -d "$W/ctx.XXXXXX")
printf 'ARG TARGETARCH\nFROM local/golang-${TARGETARCH}\n' > "$ctx/Dockerfile"
if [ "$ARCHS" = "amd64 arm64" ] && docker_ buildx build -q --network=none --provenance=false --sbom=false \
  --platform linux/amd64,linux/arm64 -t local/golang "$ctx" > /dev/null 2>&1; then
  log "local/golang: index of linux/amd64 + linux/arm64"
else
  docker_ tag "local/golang-$NATIVE" local/golang
  log "local/golang: local/golang-$NATIVE"
fi
rm -rf "$ctx"
