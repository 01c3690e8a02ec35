#!/usr/bin/env bash
# scripts/e2e/engine-current.sh -- the "current" engine for dfrewrite's e2e tests:
# Docker 28.5 + buildx 0.29 (BuildKit ~0.25) with the containerd image store, run as root on a
# Debian 12 host that has no network except Debian's mirror.
#
# Debian sid's docker.io needs a newer glibc than bookworm has (runc wants 2.38), so the daemon
# runs inside a debootstrapped sid chroot; the host drives it with the chroot's docker CLI and
# buildx plugin (those need only glibc 2.34). The daemon has no bridge network at all: every
# build and run must use --network=none.
#
# Usage (root):
#   scripts/e2e/engine-current.sh setup      debootstrap sid + docker.io/docker-cli/docker-buildx (idempotent; ~30 s once)
#   eval "$(scripts/e2e/engine-current.sh start)"
#                                            mount the chroot's /proc,/sys,cgroup2,/dev,/run and start dockerd
#                                            (reuses a running one); stdout = export lines only, logs on stderr
#   scripts/e2e/engine-current.sh images     local/busybox-amd64, local/busybox-arm64 (Debian's busybox-static,
#                                            `docker import --platform`), plus local/busybox as a 2-platform index
#   scripts/e2e/engine-current.sh binfmt     host: qemu-aarch64 binfmt handler (flag F) so arm64 RUN steps run
#   scripts/e2e/engine-current.sh up         setup + start + images + binfmt; prints the export lines
#   scripts/e2e/engine-current.sh frontend   build BuildKit's Dockerfile frontend from Debian's Go sources (offline,
#                                            minutes) and tag it docker/dockerfile:1 and local/dockerfile-frontend
#   scripts/e2e/engine-current.sh env        print the export lines again
#   scripts/e2e/engine-current.sh status     daemon, mounts, images, binfmt
#   scripts/e2e/engine-current.sh stop       stop dockerd and everything rooted in the chroot (by PID), unmount all
#   scripts/e2e/engine-current.sh unbinfmt   undo what `binfmt` registered/mounted (only that)
#   scripts/e2e/engine-current.sh destroy    stop + delete the chroot and all state
#
# Printed environment (start, env, up):
#   export DOCKER_HOST=unix://<root>/rootfs/run/docker.sock
#   export DOCKER_CONFIG=<root>/docker-config      (holds cli-plugins/docker-buildx)
#   export PATH=<root>/bin:$PATH                   (<root>/bin/docker = the 28.5 CLI; the host's
#                                                   /usr/local/bin/docker is a 28.2 client without buildx)
#   export DOCKER_BUILDKIT=1
#   export DFREWRITE_E2E_DOCKER=<root>/bin/docker  (absolute path of the CLI; the e2e scripts use this name)
# where <root> = $DFREWRITE_E2E_ROOT/engine-current (default /var/tmp/dfrewrite-e2e/engine-current).
#
# Settings (environment):
#   DFREWRITE_E2E_ROOT             /var/tmp/dfrewrite-e2e   shared e2e state; ours is <root> (rootfs/, bin/, logs)
#   DFREWRITE_E2E_CURRENT_SUITE    sid        Debian suite of the chroot (sid has 28.5 / buildx 0.29)
#   DFREWRITE_E2E_CURRENT_MIRROR   Debian mirror; default: the first one in the host's apt sources
#   DFREWRITE_E2E_CURRENT_REBUILD_FRONTEND=1   `frontend`: recompile even if the binary exists
#   DFREWRITE_E2E_CURRENT_KEEP_GO=1            `frontend`: keep Go and the sources (~4 GB) in the chroot

set -euo pipefail
. "$(dirname "$0")/lib.sh"

ROOT=${DFREWRITE_E2E_ROOT:-/var/tmp/dfrewrite-e2e}/engine-current
SUITE=${DFREWRITE_E2E_CURRENT_SUITE:-sid}
RFS=$ROOT/rootfs                 # the chroot
SOCK=$RFS/run/docker.sock        # /run/docker.sock inside (a tmpfs we mount)
PIDFILE=$RFS/run/docker.pid
LOG=$ROOT/dockerd.log
CLI=$ROOT/bin/docker             # host-side wrapper around the chroot's CLI
CFG=$ROOT/docker-config
BINFMT=/proc/sys/fs/binfmt_misc
CHROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

say() { echo "[engine-current $(date +%T)] $*" >&2; }
log() { say "$@"; }   # for lib.sh
die() { say "ERROR: $*"; exit 1; }
need_root() { [ "$(id -u)" = 0 ] || die "must run as root"; }

host_mirror() {
  local m=${DFREWRITE_E2E_CURRENT_MIRROR:-}
  if [ -z "$m" ]; then
    m=$({ awk '/^URIs:/ {print $2}' /etc/apt/sources.list.d/*.sources 2>/dev/null
          awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:\/\//) { print $i; break } }' \
            /etc/apt/sources.list 2>/dev/null; } | grep -v -e security -e nodesource -e google | head -n 1)
  fi
  [ -n "$m" ] || die "no Debian mirror found in the host's apt sources; set DFREWRITE_E2E_CURRENT_MIRROR"
  echo "$m"
}

# One invocation at a time. The lock fd (9) must not be inherited by dockerd (see start), or the
# next call would wait on it forever.
lock() { mkdir -p "$ROOT"; exec 9>"$ROOT/.lock"; flock -w 600 9 || die "timed out waiting for $ROOT/.lock"; }

in_chroot() {
  chroot "$RFS" /usr/bin/env -i PATH=$CHROOT_PATH HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# mount points at or under the chroot, deepest/newest first
our_mounts() { awk -v r="$RFS" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | tac; }

mount_chroot() {
  # The chroot must itself be a mount point: otherwise "/" is missing from its mountinfo and
  # dockerd's containerd fails to load most plugins ("failed to find the mount info for ...").
  mountpoint -q "$RFS"               || { mount --bind "$RFS" "$RFS"; mount --make-private "$RFS"; }
  mountpoint -q "$RFS/proc"          || mount -t proc proc "$RFS/proc"
  mountpoint -q "$RFS/sys"           || mount -t sysfs sysfs "$RFS/sys"
  # a fresh cgroup2 (on these hosts it has no controllers: no --memory/--cpus, but containers run)
  mountpoint -q "$RFS/sys/fs/cgroup" || mount -t cgroup2 cgroup2 "$RFS/sys/fs/cgroup"
  mountpoint -q "$RFS/dev"           || mount --bind /dev "$RFS/dev"
  mountpoint -q "$RFS/dev/pts"       || mount --bind /dev/pts "$RFS/dev/pts"
  mountpoint -q "$RFS/run"           || mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs "$RFS/run"
}

umount_chroot() {
  local m
  if mountpoint -q "$RFS/sys/fs/cgroup" && [ -d "$RFS/sys/fs/cgroup/docker" ]; then
    find "$RFS/sys/fs/cgroup/docker" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  fi
  for m in $(our_mounts); do
    umount "$m" 2>/dev/null || { say "umount $m failed; detaching it (umount -l)"; umount -l "$m" || true; }
  done
}

dockerd_pid() {  # pid of the dockerd that runs from our chroot, if any
  local pid
  [ -s "$PIDFILE" ] || return 1
  pid=$(cat "$PIDFILE")
  kill -0 "$pid" 2>/dev/null || return 1
  [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$RFS" ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] || return 1
  echo "$pid"
}

pids_in_chroot() {  # containerd, shims, containers, qemu: anything whose root is in the chroot
  local p r
  for p in /proc/[0-9]*; do
    r=$(readlink "$p/root" 2>/dev/null) || continue
    case $r in "$RFS"|"$RFS"/*) echo "${p#/proc/}" ;; esac
  done
}

answering() { [ -S "$SOCK" ] && dk version >/dev/null 2>&1; }
dk() { DOCKER_HOST=unix://$SOCK DOCKER_CONFIG=$CFG "$RFS/usr/bin/docker" "$@"; }

write_host_helpers() {
  mkdir -p "$ROOT/bin" "$CFG/cli-plugins"
  ln -sfn "$RFS/usr/libexec/docker/cli-plugins/docker-buildx" "$CFG/cli-plugins/docker-buildx"
  cat > "$CLI.tmp" <<EOF
#!/bin/sh
# dfrewrite e2e: the Docker 28.5 CLI from $RFS, talking to that chroot's daemon by default.
: "\${DOCKER_HOST:=unix://$SOCK}"
: "\${DOCKER_CONFIG:=$CFG}"
export DOCKER_HOST DOCKER_CONFIG
exec "$RFS/usr/bin/docker" "\$@"
EOF
  chmod 755 "$CLI.tmp"; mv "$CLI.tmp" "$CLI"
}

print_env() {
  echo "export DOCKER_HOST=unix://$SOCK"
  echo "export DOCKER_CONFIG=$CFG"
  echo "export PATH=$ROOT/bin:\$PATH"
  echo "export DOCKER_BUILDKIT=1"
  echo "export DFREWRITE_E2E_DOCKER=$CLI"
  echo "# docker CLI to use: $CLI (Docker 28.5 + buildx 0.29; always pass --network=none)"
}

cmd_setup() {
  need_root; lock
  local t0=$SECONDS mirror
  if [ -e "$ROOT/.setup-done" ] && [ -x "$RFS/usr/sbin/dockerd" ] && [ -x "$RFS/usr/bin/docker" ]; then
    write_host_helpers; say "setup: already done ($RFS)"; return 0
  fi
  command -v debootstrap >/dev/null || { say "installing debootstrap on the host"; e2e_apt_get -y --no-install-recommends install debootstrap 2> "$ROOT/host-apt.log" || { tail -n 20 "$ROOT/host-apt.log" >&2; die "apt-get install debootstrap failed"; }; }
  mirror=$(host_mirror)
  if [ ! -e "$ROOT/.debootstrap-done" ]; then
    [ -z "$(our_mounts)" ] || die "something is mounted under $RFS; run '$0 stop' first"
    rm -rf --one-file-system "$RFS"
    say "debootstrap --variant=minbase $SUITE $RFS $mirror (log: $ROOT/debootstrap.log)"
    debootstrap --variant=minbase "$SUITE" "$RFS" "$mirror" > "$ROOT/debootstrap.log" 2>&1 \
      || { tail -n 20 "$ROOT/debootstrap.log" >&2; die "debootstrap failed"; }
    touch "$ROOT/.debootstrap-done"
    say "debootstrap done after $((SECONDS - t0))s"
  fi
  # no service starts from maintainer scripts; a lagging mirror may be past Valid-Until
  printf '#!/bin/sh\nexit 101\n' > "$RFS/usr/sbin/policy-rc.d"; chmod 755 "$RFS/usr/sbin/policy-rc.d"
  echo 'Acquire::Check-Valid-Until "false";' > "$RFS/etc/apt/apt.conf.d/99dfrewrite-e2e"
  cp /etc/resolv.conf "$RFS/etc/resolv.conf" 2>/dev/null || true
  local had_mounts=0
  [ -z "$(our_mounts)" ] || had_mounts=1
  mount_chroot
  say "apt-get install docker.io docker-cli docker-buildx in the chroot (log: $ROOT/install.log)"
  if ! { in_chroot apt-get update -q &&
         in_chroot apt-get install -y -q --no-install-recommends docker.io docker-cli docker-buildx &&
         in_chroot apt-get clean; } > "$ROOT/install.log" 2>&1; then
    tail -n 20 "$ROOT/install.log" >&2
    [ $had_mounts = 1 ] || umount_chroot
    die "apt-get install in the chroot failed"
  fi
  [ $had_mounts = 1 ] || umount_chroot
  write_host_helpers
  touch "$ROOT/.setup-done"
  say "setup done in $((SECONDS - t0))s: $(in_chroot dpkg-query -W -f '${Package}=${Version} ' docker.io docker-buildx containerd runc 2>/dev/null)"
}

cmd_start() {
  need_root; lock
  [ -e "$ROOT/.setup-done" ] || die "run '$0 setup' first"
  write_host_helpers
  local pid
  if pid=$(dockerd_pid); then
    say "dockerd already running (pid $pid)"; print_env; return 0
  fi
  mount_chroot
  rm -f "$PIDFILE" "$SOCK"
  mkdir -p "$RFS/etc/docker"
  # containerd image store: needed for multi-platform builds with the docker driver
  echo '{"features": {"containerd-snapshotter": true}}' > "$RFS/etc/docker/dfrewrite-e2e.json"
  echo "=== $(date -u +%FT%TZ) start" >> "$LOG"
  say "starting dockerd (containerd image store, no bridge); log: $LOG"
  setsid chroot "$RFS" /usr/bin/env -i PATH=$CHROOT_PATH HOME=/root \
    dockerd --config-file /etc/docker/dfrewrite-e2e.json --data-root /var/lib/docker \
      --exec-root /run/docker --host unix:///run/docker.sock --pidfile /run/docker.pid \
      --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
    >> "$LOG" 2>&1 < /dev/null 9>&- &
  local bg=$! rc=0
  e2e_wait "$bg" 60 answering || rc=$?
  case $rc in
    0) say "dockerd up after ~${E2E_WAITED}s: pid $(cat "$PIDFILE"), server $(dk version -f '{{.Server.Version}}'), storage $(dk info -f '{{.Driver}}')"
       print_env ;;
    1) tail -n 20 "$LOG" >&2; umount_chroot; die "dockerd exited" ;;
    *) tail -n 20 "$LOG" >&2; die "dockerd did not answer within 60s (pid $bg still runs; use '$0 stop')" ;;
  esac
}

cmd_stop() {
  need_root; lock
  local pid i p
  if pid=$(dockerd_pid); then
    say "stopping dockerd (pid $pid)"
    e2e_term_then_kill dockerd "$pid" 60
  else
    say "dockerd not running"
  fi
  for i in $(seq 10); do
    p=$(pids_in_chroot)
    [ -n "$p" ] || break
    if [ "$i" -le 4 ]; then say "left in the chroot: $(echo $p) -> SIGTERM"; kill -TERM $p 2>/dev/null || true
    else say "left in the chroot: $(echo $p) -> SIGKILL"; kill -KILL $p 2>/dev/null || true; fi
    sleep 1
  done
  umount_chroot
  [ -z "$(pids_in_chroot)" ] || die "processes still rooted in $RFS: $(pids_in_chroot | tr '\n' ' ')"
  [ -z "$(our_mounts)" ] || die "still mounted: $(our_mounts | tr '\n' ' ')"
  say "stopped; no process or mount left under $RFS"
}

cmd_status() {  # exit status 1 when dockerd does not run
  local pid running=0
  if pid=$(dockerd_pid); then
    running=1
    echo "dockerd: running, pid $pid, DOCKER_HOST=unix://$SOCK"
    dk version -f 'client {{.Client.Version}}, server {{.Server.Version}}' 2>&1 | sed 's/^/  /'
    dk info -f 'storage {{.Driver}}, cgroup v{{.CgroupVersion}}' 2>&1 | sed 's/^/  /'
    dk image ls --format '  {{.Repository}}:{{.Tag}}' 2>&1
  else
    echo "dockerd: not running"
  fi
  echo "setup: $([ -e "$ROOT/.setup-done" ] && echo done || echo 'not done')"
  echo "mounts under $RFS:"; our_mounts | sed 's/^/  /'
  if [ -e "$BINFMT/qemu-aarch64" ]; then
    echo "binfmt qemu-aarch64: $(head -n 1 "$BINFMT/qemu-aarch64"), $(sed -n 's/^flags: //p' "$BINFMT/qemu-aarch64") flags"
  else
    echo "binfmt qemu-aarch64: not registered"
  fi
  [ $running = 1 ]
}

cmd_images() {
  need_root
  dockerd_pid >/dev/null || die "dockerd is not running; run '$0 start' first"
  local a native d want have
  native=$(in_chroot dpkg --print-architecture)
  [ "$native" = amd64 ] || die "this script expects an amd64 host (got $native)"
  have=1
  for a in amd64 arm64; do
    [ "$(dk image inspect -f '{{.Os}}/{{.Architecture}}' "local/busybox-$a" 2>/dev/null)" = "linux/$a" ] || have=0
  done
  if [ $have = 0 ]; then
    e2e_apt_arch arm64 in_chroot 2> "$ROOT/images-apt.log" || { tail -n 20 "$ROOT/images-apt.log" >&2; die "apt-get update failed"; }
    rm -rf "$RFS/tmp/dfrewrite-debs"; mkdir -p "$RFS/tmp/dfrewrite-debs"
    in_chroot sh -c 'cd /tmp/dfrewrite-debs && apt-get download -q busybox-static:amd64 busybox-static:arm64' \
      > "$ROOT/images-apt.log" 2>&1 || { tail -n 20 "$ROOT/images-apt.log" >&2; die "apt-get download busybox-static failed"; }
    mkdir -p "$ROOT/images"
    for a in amd64 arm64; do
      e2e_busybox_from_deb "$(ls "$RFS"/tmp/dfrewrite-debs/busybox-static_*_"$a".deb)" "$ROOT/images/busybox-$a"
    done
    for a in amd64 arm64; do
      # applet links at their canonical paths; the list comes from the native binary (same version)
      d=$ROOT/images/rootfs-$a
      e2e_busybox_rootfs "$d" "$ROOT/images/busybox-$a" "$ROOT/images/busybox-$native"
      # docker 28.5 honours --platform on import (20.10 does not)
      tar -C "$d" -c . | dk import --platform "linux/$a" -c 'CMD ["sh"]' - "local/busybox-$a" >/dev/null
      say "imported local/busybox-$a: $(dk image inspect -f '{{.Os}}/{{.Architecture}}' "local/busybox-$a")"
    done
    rm -rf "$RFS/tmp/dfrewrite-debs" "$ROOT/images"
  else
    say "local/busybox-amd64 and local/busybox-arm64 already present"
  fi
  # local/busybox: one name, both platforms (an index of the two images above), so that a
  # multi-platform FROM local/busybox gets the right one. Its arm64 half needs no emulation to build.
  want=$(dk image inspect -f '{{.Id}}' local/busybox-amd64)-$(dk image inspect -f '{{.Id}}' local/busybox-arm64)
  if [ "$(cat "$ROOT/.busybox-index" 2>/dev/null)" != "$want" ] || ! dk image inspect local/busybox >/dev/null 2>&1; then
    d=$(mktemp -d)
    printf 'ARG TARGETARCH\nFROM local/busybox-${TARGETARCH}\n' > "$d/Dockerfile"
    dk buildx build -q --network=none --provenance=false --sbom=false --platform linux/amd64,linux/arm64 \
      -t local/busybox "$d" >/dev/null 2>"$ROOT/images-index.log" \
      || { cat "$ROOT/images-index.log" >&2; rm -rf "$d"; die "building the local/busybox index failed"; }
    rm -rf "$d"
    echo "$want" > "$ROOT/.busybox-index"
    say "local/busybox: index of linux/amd64 + linux/arm64"
  fi
}

cmd_binfmt() {
  need_root
  e2e_binfmt "$ROOT" || die "binfmt set-up failed"
}

cmd_unbinfmt() {
  need_root
  if [ -e "$ROOT/.binfmt-registered-here" ]; then
    [ -e "$BINFMT/qemu-aarch64" ] && echo -1 > "$BINFMT/qemu-aarch64"
    rm -f "$ROOT/.binfmt-registered-here"; say "removed the qemu-aarch64 handler"
  fi
  if [ -e "$ROOT/.binfmt-mounted-here" ] && mountpoint -q "$BINFMT"; then
    if [ -z "$(ls "$BINFMT" | grep -vx -e register -e status)" ]; then
      umount "$BINFMT" && rm -f "$ROOT/.binfmt-mounted-here" && say "unmounted $BINFMT"
    else
      say "binfmt_misc still has other handlers ($(ls "$BINFMT" | grep -vx -e register -e status | tr '\n' ' ')); left mounted"
    fi
  fi
}

cmd_frontend() {
  need_root
  dockerd_pid >/dev/null || die "dockerd is not running; run '$0 start' first"
  local t0=$SECONDS bin=$RFS/opt/dfrewrite-frontend/dockerfile-frontend
  # BuildKit's frontend/dockerfile sources are packaged with docker.io (golang-github-docker-docker-dev);
  # four more -dev packages cover the imports that package does not vendor.
  local pkgs="golang-go golang-github-docker-docker-dev golang-github-mitchellh-hashstructure-dev golang-github-google-shlex-dev golang-github-gofrs-flock-dev golang-github-agext-levenshtein-dev"
  if [ ! -x "$bin" ] || [ "${DFREWRITE_E2E_CURRENT_REBUILD_FRONTEND:-0}" = 1 ]; then
    say "apt-get install Go + BuildKit sources in the chroot (log: $ROOT/frontend.log)"
    in_chroot apt-get install -y -q --no-install-recommends $pkgs > "$ROOT/frontend.log" 2>&1 \
      || { tail -n 20 "$ROOT/frontend.log" >&2; die "apt-get install failed"; }
    say "sources: $(in_chroot dpkg-query -W -f '${Package}=${Version}' golang-github-docker-docker-dev), $(in_chroot go version)"
    # Debian's hashstructure is v2 but installed at the v1 import path
    mkdir -p "$RFS/root/gopath/src/github.com/mitchellh/hashstructure"
    ln -sfn /usr/share/gocode/src/github.com/mitchellh/hashstructure "$RFS/root/gopath/src/github.com/mitchellh/hashstructure/v2"
    mkdir -p "$(dirname "$bin")"
    say "go build dockerfile-frontend (GOPATH mode, nice 10)"
    in_chroot /usr/bin/env GOPATH=/root/gopath:/usr/share/gocode GO111MODULE=off GOCACHE=/root/.cache/go-build \
      CGO_ENABLED=0 GOFLAGS= GOPROXY=off nice -n 10 \
      sh -c 'cd /tmp && go build -trimpath -ldflags "-s -w" -o /opt/dfrewrite-frontend/dockerfile-frontend github.com/moby/buildkit/frontend/dockerfile/cmd/dockerfile-frontend' \
      >> "$ROOT/frontend.log" 2>&1 || { tail -n 30 "$ROOT/frontend.log" >&2; die "go build failed"; }
    say "compiled after $((SECONDS - t0))s: $(du -h "$bin" | cut -f1)"
    if [ "${DFREWRITE_E2E_CURRENT_KEEP_GO:-0}" != 1 ]; then
      say "removing the Go toolchain and sources from the chroot (DFREWRITE_E2E_CURRENT_KEEP_GO=1 keeps them)"
      in_chroot apt-get purge -y -q --autoremove $pkgs >> "$ROOT/frontend.log" 2>&1 || say "purge failed (see $ROOT/frontend.log)"
      rm -rf "$RFS/root/.cache/go-build" "$RFS/root/gopath"
      in_chroot apt-get clean
    fi
  else
    say "reusing $bin (DFREWRITE_E2E_CURRENT_REBUILD_FRONTEND=1 recompiles)"
  fi
  cat > "$(dirname "$bin")/Dockerfile" <<'EOF'
FROM scratch
COPY dockerfile-frontend /bin/dockerfile-frontend
# the daemon has no bridge: without this label the frontend container fails with "network bridge not found"
LABEL moby.buildkit.frontend.network.none="true"
# needed for buildx --call=outline|targets and --check through this frontend
LABEL moby.buildkit.frontend.caps="moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts"
ENTRYPOINT ["/bin/dockerfile-frontend"]
EOF
  dk build -q --network=none -t local/dockerfile-frontend -t docker/dockerfile:1 "$(dirname "$bin")" >/dev/null
  say "frontend image local/dockerfile-frontend = docker/dockerfile:1 ready after $((SECONDS - t0))s"
}

cmd_destroy() {
  need_root
  cmd_stop
  # cmd_stop holds the lock (fd 9) in this shell
  rm -rf --one-file-system "$RFS" "$ROOT/bin" "$CFG" "$ROOT/images" "$ROOT"/.setup-done "$ROOT"/.debootstrap-done "$ROOT/.busybox-index"
  say "deleted $RFS and its helpers (logs kept in $ROOT)"
}

case ${1:-} in
  setup)    cmd_setup ;;
  start)    cmd_start ;;
  env)      print_env ;;
  status)   cmd_status ;;
  images)   cmd_images ;;
  binfmt)   cmd_binfmt ;;
  unbinfmt) cmd_unbinfmt ;;
  frontend) cmd_frontend ;;
  # each step in its own subshell: the lock (fd 9) is released when the step's subshell ends
  up)       ( cmd_setup ); ( cmd_start ) > "$ROOT/.env.tmp"; ( cmd_images ); ( cmd_binfmt )
            cat "$ROOT/.env.tmp"; rm -f "$ROOT/.env.tmp" ;;
  stop)     cmd_stop ;;
  destroy)  cmd_destroy ;;
  *) sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
