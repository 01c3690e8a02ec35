#!/usr/bin/env bash
# Builds the frontend image from the host's dist/frontend.js (run `npm run build` first) on a local
# Node runtime image (scripts/e2e/images.sh), offline, and prints its tag on stdout.
#
#   scripts/e2e/build-frontend-image.sh [--platform linux/amd64|linux/arm64] [--tag TAG]
#
# The default tag is local/dfrewrite-frontend:<hash of Dockerfile.frontend, the bundle and the
# runtime image>: a daemon caches the frontend image it resolved for a tag, so new content must get
# a new tag, while the same content reuses the image already built.
# Talks to the daemon DOCKER_HOST names, with $DFREWRITE_E2E_DOCKER (default docker).
# With DFREWRITE_E2E_REGISTRY (e.g. localhost:5000; see scripts/e2e/images-pull.sh) the runtime image
# is <registry>/node-runtime-<arch>, and the image, <registry>/dfrewrite-frontend:<hash>, is pushed
# there by the current buildx builder (which need not see the local store), then pulled for the tests.
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
runtime=$prefix/node-runtime-$arch

[ -s dist/frontend.js ] || { echo "build-frontend-image: no dist/frontend.js; run npm run build" >&2; exit 1; }
runtime_id=$(DOCKER_BUILDKIT=1 "$DOCKER" image inspect -f '{{.Id}}' "$runtime") \
  || { echo "build-frontend-image: no $runtime; run scripts/e2e/images.sh" >&2; exit 1; }
if [ -z "$tag" ]; then
  tag=$prefix/dfrewrite-frontend:$( { cat Dockerfile.frontend .dockerignore dist/frontend.js; echo "$runtime_id"; } | sha256sum | cut -c1-16)
  if DOCKER_BUILDKIT=1 "$DOCKER" image inspect "$tag" > /dev/null 2>&1; then echo "$tag"; exit 0; fi
fi
build=(build -q --network=none -f Dockerfile.frontend --platform "$platform"
  --build-arg FRONTEND_BUNDLE=prebuilt --build-arg NODE_IMAGE="$runtime" -t "$tag")
if [ -n "$REGISTRY" ]; then
  # a plain image manifest, as the offline path makes (no attestation index)
  "$DOCKER" buildx "${build[@]}" --provenance=false --push . > /dev/null
  "$DOCKER" pull -q --platform "$platform" "$tag" > /dev/null
else
  DOCKER_BUILDKIT=1 "$DOCKER" "${build[@]}" . > /dev/null
fi
echo "$tag"
