#!/usr/bin/env bash
# Builds the frontend image offline from what the host built, and prints its tag on stdout: FROM
# scratch around build/native/dfrewrite-frontend-<arch>, which this script (re)makes first with
# native/build.sh from the host's dist/embedded/frontend.js (as root; it caches the engine and only
# recompiles the bytecode and links). Run `npm run build` first.
#
#   scripts/e2e/build-frontend-image.sh [--platform linux/amd64|linux/arm64] [--tag TAG]
#
# The default tag is local/dfrewrite-frontend:<hash of Dockerfile.frontend, .dockerignore and the
# binary>: a daemon caches the frontend image it resolved for a
# tag, so new content must get a new tag, while the same content reuses the image already built.
# Talks to the daemon DOCKER_HOST names, with $DFREWRITE_E2E_DOCKER (default docker).
# With DFREWRITE_E2E_REGISTRY (e.g. localhost:5000; see scripts/e2e/images-pull.sh) the image,
# <registry>/dfrewrite-frontend:<hash>, is pushed there by the current buildx builder (which need not see the local store), then pulled for
# the tests.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/../.."

DOCKER=${DFREWRITE_E2E_DOCKER:-docker}
REGISTRY=${DFREWRITE_E2E_REGISTRY:-}
prefix=${REGISTRY:-local}
platform=linux/$(e2e_host_arch)
tag=
while [ $# -gt 0 ]; do
  case $1 in
    --platform) platform=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    *) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
arch=${platform#linux/}
say() { echo "build-frontend-image: $*" >&2; }

[ -s dist/embedded/frontend.js ] || { say "no dist/embedded/frontend.js; run npm run build"; exit 1; }
binary=build/native/dfrewrite-frontend-$arch
# one native/build.sh at a time (tests build both platforms' images in parallel)
mkdir -p build/native
log=$(mktemp)
flock build/native/.lock env DFREWRITE_BUNDLE=prebuilt native/build.sh "$arch" > /dev/null 2> "$log" \
  || { cat "$log" >&2; rm -f "$log"; say "native/build.sh $arch failed"; exit 1; }
rm -f "$log"
content=$(sha256sum < "$binary")
build_args=(--build-arg FRONTEND_BUNDLE=prebuilt)

if [ -z "$tag" ]; then
  tag=$prefix/dfrewrite-frontend:$( { cat Dockerfile.frontend .dockerignore; echo "$content"; } | sha256sum | cut -c1-16)
  if DOCKER_BUILDKIT=1 "$DOCKER" image inspect "$tag" > /dev/null 2>&1; then echo "$tag"; exit 0; fi
fi
build=(build -q --network=none -f Dockerfile.frontend --platform "$platform" "${build_args[@]}" -t "$tag")
if [ -n "$REGISTRY" ]; then
  # a plain image manifest, as the offline path makes (no attestation index)
  "$DOCKER" buildx "${build[@]}" --provenance=false --push . > /dev/null
  "$DOCKER" pull -q --platform "$platform" "$tag" > /dev/null
else
  DOCKER_BUILDKIT=1 "$DOCKER" "${build[@]}" . > /dev/null
fi
echo "$tag"
