#!/usr/bin/env bash
# The e2e tests' base images pulled from Docker Hub, for machines that reach a registry (a GitHub
# runner, a laptop): the same names as scripts/e2e/images.sh gives the images it builds offline
# from Debian packages, in the daemon DOCKER_HOST names (CLI: $DFREWRITE_E2E_DOCKER, default docker).
#
#   local/busybox-amd64, local/busybox-arm64             the official busybox image
#   docker/dockerfile:1                                  BuildKit's Dockerfile frontend 1.19, for the host
#                                                        (upstream-image.test.ts; engine-current.sh builds it offline)
#
# Each is pulled by the digest of its platform's manifest, read from the multi-platform index pinned
# below, so a tag that moves upstream changes nothing here. With DFREWRITE_E2E_REGISTRY (for example
# localhost:5000) each is also pushed there as <registry>/busybox-amd64 etc.: buildx's
# docker-container driver cannot see the local image store, and the tests then name the images in
# the registry. Running arm64 code needs QEMU on the host (docker/setup-qemu-action on GitHub).
set -euo pipefail
shopt -s inherit_errexit   # a failure inside $(pull_as …) stops the script too
. "$(dirname "$0")/lib.sh"

ARCHS="amd64 arm64"
# official images, by the digest of their multi-platform index (busybox 1.37.0)
BUSYBOX=docker.io/library/busybox@sha256:9db7b59979c38555a39def84a31fb98b5296952f9e3afd4f6f11f05b07adfab0
DOCKERFILE=docker.io/docker/dockerfile@sha256:b6afd42430b15f2d2a4c5a02b919e98a525b785b1aaff16747d2f623364e39b6
DOCKER=${DFREWRITE_E2E_DOCKER:-docker}
REGISTRY=${DFREWRITE_E2E_REGISTRY:-}

log() { echo "images-pull: $*" >&2; }

platform_digest() {  # platform_digest INDEX ARCH: the digest of ARCH's linux image in the index
  "$DOCKER" manifest inspect "$1" | node -e '
    const index = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const found = (index.manifests ?? []).find((m) => m.platform?.os === "linux" && m.platform?.architecture === process.argv[1]);
    if (!found) throw new Error(`no linux/${process.argv[1]} image in the index`);
    console.log(found.digest);' "$2"
}

pull_as() {  # pull_as INDEX ARCH TAG: ARCH's image in the index, tagged TAG; prints its reference
  local ref
  ref=${1%@*}@$(platform_digest "$1" "$2")
  "$DOCKER" pull -q --platform "linux/$2" "$ref" > /dev/null
  "$DOCKER" tag "$ref" "$3"
  log "$3 = $ref"
  echo "$ref"
}

pull() {  # pull INDEX NAME: NAME-<arch> for every arch, locally and (with a registry) there
  local index=$1 name=$2 a ref
  for a in $ARCHS; do
    ref=$(pull_as "$index" "$a" "local/$name-$a")
    if [ -n "$REGISTRY" ]; then
      "$DOCKER" tag "$ref" "$REGISTRY/$name-$a"
      "$DOCKER" push -q "$REGISTRY/$name-$a" > /dev/null
      log "pushed $REGISTRY/$name-$a"
    fi
  done
}

pull "$BUSYBOX" busybox
# the builder resolves this name itself (from Docker Hub, or the image store with the docker driver)
pull_as "$DOCKERFILE" "$(e2e_host_arch)" docker/dockerfile:1 > /dev/null
e2e_check_images "$DOCKER" "$ARCHS"
