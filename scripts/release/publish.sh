#!/usr/bin/env bash
# Pushes the index that build-index.sh wrote, under each tag, then signs it and attaches the SBOM and
# the provenance as signed attestations, all referring to the index digest from outside the index.
# Needs skopeo and cosign (3.x) on PATH; the release workflow and the local rehearsal both run it.
#
#   scripts/release/publish.sh --layout DIR --digest sha256:INDEX --repo REPO --tag T [--tag T]...
#        --sbom SBOM.spdx.json --provenance PROVENANCE.json [--key cosign.key] [--insecure]
#
# Without --key, cosign signs keylessly (the workflow's OIDC identity, Fulcio and Rekor). With --key
# (a local key pair, COSIGN_PASSWORD in the environment) nothing goes to a transparency log.
# --insecure: a plain-HTTP registry (127.0.0.1 in the rehearsal).
set -euo pipefail

layout= digest= repo= sbom= provenance= key= insecure=
tags=()
while [ $# -gt 0 ]; do
  case $1 in
    --layout) layout=$2; shift 2 ;;
    --digest) digest=$2; shift 2 ;;
    --repo) repo=$2; shift 2 ;;
    --tag) tags+=("$2"); shift 2 ;;
    --sbom) sbom=$2; shift 2 ;;
    --provenance) provenance=$2; shift 2 ;;
    --key) key=$2; shift 2 ;;
    --insecure) insecure=1; shift ;;
    *) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done
[ -n "$layout" ] && [ -n "$digest" ] && [ -n "$repo" ] && [ ${#tags[@]} -gt 0 ] && [ -n "$sbom" ] && [ -n "$provenance" ] \
  || { echo "publish.sh: --layout, --digest, --repo, --tag, --sbom and --provenance are required" >&2; exit 2; }

skopeo_tls=() cosign_registry=() cosign_key=()
[ -z "$insecure" ] || { skopeo_tls=(--dest-tls-verify=false); cosign_registry=(--allow-insecure-registry --allow-http-registry); }
[ -z "$key" ] || cosign_key=(--key "$key" --use-signing-config=false --tlog-upload=false)

for tag in "${tags[@]}"; do
  # --preserve-digests: fail rather than convert anything, so the registry holds the very bytes built
  skopeo copy -q --all --preserve-digests "${skopeo_tls[@]}" "oci:$layout" "docker://$repo:$tag" >&2
  got=sha256:$(skopeo inspect --raw "${skopeo_tls[@]/dest-/}" "docker://$repo:$tag" | sha256sum | cut -d' ' -f1)
  [ "$got" = "$digest" ] || { echo "publish.sh: $repo:$tag is $got, expected $digest" >&2; exit 1; }
  echo "publish.sh: pushed $repo:$tag = $digest" >&2
done

cosign sign --yes "${cosign_key[@]}" "${cosign_registry[@]}" "$repo@$digest" >&2
cosign attest --yes "${cosign_key[@]}" "${cosign_registry[@]}" --type spdxjson --predicate "$sbom" "$repo@$digest" >&2
cosign attest --yes "${cosign_key[@]}" "${cosign_registry[@]}" --type slsaprovenance1 --predicate "$provenance" "$repo@$digest" >&2
echo "publish.sh: signed $repo@$digest and attached its SBOM and provenance" >&2
