#!/usr/bin/env bash
# Installs what the local release rehearsal (scripts/release/registry.sh, test/e2e/release-*.test.ts)
# needs, idempotently, as root on Debian 12 with the current engine's sid chroot set up:
#   host:  docker-registry (Debian 12: Distribution 2.8), not started as a service
#   chroot (Debian sid): cosign (3.x), crane, oras, skopeo
# Prints nothing on stdout; the tools are run from the chroot by scripts/release/registry.sh.
set -euo pipefail

RFS=${DFREWRITE_E2E_ROOT:-/var/tmp/dfrewrite-e2e}/engine-current/rootfs
APT=(apt-get -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends)

[ -x /usr/bin/docker-registry ] || {
  # the package would enable and start a registry service on :5000; we run our own by PID instead
  export DEBIAN_FRONTEND=noninteractive RUNLEVEL=1
  apt-get update -q && "${APT[@]}" install docker-registry
  ! command -v systemctl > /dev/null || systemctl disable --now docker-registry 2> /dev/null || true
} >&2

[ -d "$RFS/usr/bin" ] || { echo "tools.sh: no chroot at $RFS; run scripts/e2e/engine-current.sh setup" >&2; exit 1; }
missing=()
for t in cosign crane oras skopeo; do [ -x "$RFS/usr/bin/$t" ] || missing+=("$t"); done
[ ${#missing[@]} = 0 ] || chroot "$RFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
  sh -c "apt-get update -q && ${APT[*]} install ${missing[*]}" >&2
