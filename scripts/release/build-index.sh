#!/usr/bin/env bash
# Builds the frontend image index from Dockerfile.frontend as it is, reproducibly, into an OCI layout
# folder, and prints the index digest on stdout. The release workflow and the local rehearsal
# (test/e2e/release-*.test.ts) both build with this script; docs/release.md shows a user rebuilding a tag.
#
#   scripts/release/build-index.sh --out DIR [--platforms linux/amd64,linux/arm64] [BUILDX-ARGS...]
#
# e.g. offline, from the binaries native/build.sh made for both platforms on the host:
#   --network=none --build-arg FRONTEND_BUNDLE=prebuilt
# elsewhere, pinned: --build-arg BUILD_IMAGE=node@sha256:… --build-arg NATIVE_IMAGE=debian@sha256:…
#   --build-arg APT_SNAPSHOT=image (the compiler and quickjs-ng from the image's snapshot date)
#
# Reproducible: no attestations in the index (BuildKit's provenance records times and an invocation
# id), SOURCE_DATE_EPOCH from the commit (unless set) and rewrite-timestamp=true, so every file and
# config time is the commit's. The layout is exported (type=oci) rather than loaded into the image
# store: rewrite-timestamp and unpacking do not mix (docker/cli#5256). Push it with skopeo
# (scripts/release/publish.sh). Uses $DFREWRITE_E2E_DOCKER (default docker) with buildx.
set -euo pipefail
cd "$(dirname "$0")/../.."

DOCKER=${DFREWRITE_E2E_DOCKER:-docker}
platforms=linux/amd64,linux/arm64
out=
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    --platforms) platforms=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
[ -n "$out" ] || { sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
export SOURCE_DATE_EPOCH
rm -rf "$out"
"$DOCKER" buildx build --progress=plain --provenance=false --sbom=false --platform "$platforms" \
  -f Dockerfile.frontend --build-arg SOURCE_DATE_EPOCH "${args[@]}" \
  --output "type=oci,dest=$out,tar=false,rewrite-timestamp=true" . >&2

# BuildKit 0.25 may log a "(*service).Write failed ... locked" error and still succeed when both
# platforms share a layer: check that the layout is whole before anyone pins its digest.
node scripts/release/oci-layout.mjs check "$out" >&2
node scripts/release/oci-layout.mjs digest "$out"
