# Shared by the scripts in scripts/e2e/ (sourced, not run): waiting for a daemon, stopping a process
# by its PID, host apt-get that waits for another apt, busybox root file systems, QEMU via binfmt_misc.
# The sourcing script defines `log MESSAGE...` (to stderr); it runs as root under `set -euo pipefail`.

# How long host apt-get waits for another apt or dpkg to let go of its locks, in seconds.
E2E_APT_WAIT=${DFREWRITE_E2E_APT_WAIT:-600}

# e2e_wait PID SECONDS CMD...: run CMD every 0.25 s until it succeeds (0), PID has exited (1) or
# SECONDS have passed (2). Sets E2E_WAITED to the seconds it took.
e2e_wait() {
  local pid=$1 secs=$2 i
  shift 2
  for ((i = 1; i <= secs * 4; i++)); do
    if "$@"; then E2E_WAITED=$((i / 4)); return 0; fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.25
  done
  return 2
}

# e2e_term_then_kill NAME PID SECONDS: SIGTERM, then SIGKILL when PID still runs after SECONDS.
e2e_term_then_kill() {
  local name=$1 pid=$2 secs=$3 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < secs * 2; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  log "$name still alive after ${secs}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 1
}

# e2e_apt_get [--in WRAPPER] ARGS...: apt-get (run through the command WRAPPER, e.g. a chroot, when
# given), its output on stderr. dpkg's locks are waited for by apt itself (DPkg::Lock::Timeout);
# `apt-get update` ignores that option and fails at once when another apt holds the lists lock, so
# a failure on a lock is retried, with a message, for as long.
e2e_apt_get() {
  local out rc start=$SECONDS in=
  if [ "${1:-}" = --in ]; then in=$2; shift 2; fi
  out=$(mktemp)
  while :; do
    rc=0
    DEBIAN_FRONTEND=noninteractive ${in:+"$in"} apt-get -q -o DPkg::Lock::Timeout="$E2E_APT_WAIT" "$@" > "$out" 2>&1 || rc=$?
    cat "$out" >&2
    if [ $rc = 0 ] || ! grep -q '^E: Could not get lock' "$out" || [ $((SECONDS - start)) -ge "$E2E_APT_WAIT" ]; then
      rm -f "$out"
      return $rc
    fi
    log "apt-get $*: $(grep -m1 '^E: Could not get lock' "$out" | sed 's/^E: //'); waiting (at most ${E2E_APT_WAIT}s in all)"
    sleep 5
  done
}

# e2e_apt_arch ARCH [WRAPPER]: apt (run through WRAPPER when given) can fetch ARCH's packages: dpkg
# knows the architecture and its package lists are there. An earlier run may have added the
# architecture and then failed to update: the lists are checked, not only the architecture.
e2e_apt_arch() {
  local a=$1 in=${2:-}
  [ "$a" != "$(${in:+"$in"} dpkg --print-architecture)" ] || return 0
  if ! ${in:+"$in"} dpkg --print-foreign-architectures | grep -qx "$a"; then
    log "adding dpkg architecture $a"
    ${in:+"$in"} dpkg --add-architecture "$a"
  fi
  if [ -z "$(${in:+"$in"} apt-get indextargets --format '$(FILENAME)' "Architecture: $a" "Identifier: Packages")" ]; then
    log "no package lists for $a: apt-get update"
    e2e_apt_get ${in:+--in "$in"} update
  fi
}

# e2e_busybox_from_deb DEB OUT: the busybox binary of a busybox-static package (at bin/ or, with
# merged /usr, usr/bin/; the package also has a text file named busybox elsewhere).
e2e_busybox_from_deb() {
  local x
  x=$(mktemp -d)
  dpkg-deb -x "$1" "$x"
  if [ -f "$x/usr/bin/busybox" ]; then cp "$x/usr/bin/busybox" "$2"; else cp "$x/bin/busybox" "$2"; fi
  chmod 755 "$2"
  rm -rf "$x"
}

# e2e_busybox_rootfs DIR BUSYBOX LISTER: a root file system in DIR around the binary BUSYBOX, with an
# applet link at each canonical path that LISTER (a busybox of the host's architecture and the same
# version) lists, and a root user.
e2e_busybox_rootfs() {
  local d=$1 p
  rm -rf "$d"
  mkdir -p "$d"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,var/cache}
  chmod 1777 "$d/tmp"
  cp "$2" "$d/bin/busybox"
  chmod 755 "$d/bin/busybox"
  "$3" --list-full | while read -r p; do
    case $p in bin/busybox | linuxrc) continue ;; esac
    [ -e "$d/$p" ] || [ -L "$d/$p" ] || ln -s /bin/busybox "$d/$p"
  done
  echo 'root:x:0:0:root:/root:/bin/sh' > "$d/etc/passwd"
  echo 'root:x:0:' > "$d/etc/group"
}

# e2e_binfmt STATE_DIR: arm64 programs run on this amd64 host through QEMU (binfmt_misc, flag F). It
# is global host state, shared by both engines: what this call mounts or registers is recorded in
# STATE_DIR (.binfmt-mounted-here, .binfmt-registered-here), so that only that is undone later.
e2e_binfmt() {
  local state=$1 bm=/proc/sys/fs/binfmt_misc conf line
  mkdir -p "$state"
  if ! mountpoint -q "$bm"; then
    mount -t binfmt_misc binfmt_misc "$bm"
    touch "$state/.binfmt-mounted-here"
    log "mounted binfmt_misc at $bm"
  fi
  if [ -e "$bm/qemu-aarch64" ]; then
    log "qemu-aarch64 handler already registered"
  else
    if ! [ -x /usr/bin/qemu-aarch64-static ]; then
      log "installing qemu-user-static on the host"
      e2e_apt_get -y --no-install-recommends install qemu-user-static
    fi
    # the package (or binfmt-support, if installed) may have registered it
    if ! [ -e "$bm/qemu-aarch64" ]; then
      conf=/usr/lib/binfmt.d/qemu-aarch64.conf
      [ -e "$conf" ] || { log "no $conf from qemu-user-static"; return 1; }
      line=$(grep -m1 '^:qemu-aarch64:' "$conf")
      # F (fix-binary): the kernel opens the interpreter now, so images need no qemu inside them
      case ${line##*:} in *F*) ;; *) line="${line}F" ;; esac
      printf '%s' "$line" > "$bm/register"
      touch "$state/.binfmt-registered-here"
      log "registered qemu-aarch64 from $conf"
    fi
  fi
  grep -q '^enabled' "$bm/qemu-aarch64" || { log "the qemu-aarch64 handler is disabled"; return 1; }
  grep -q '^flags:.*F' "$bm/qemu-aarch64" || {
    log "the qemu-aarch64 handler lacks the F flag (registered by someone else?); containers would need qemu inside"
    return 1
  }
  log "binfmt: qemu-aarch64 -> $(sed -n 's/^interpreter //p' "$bm/qemu-aarch64"), flags $(sed -n 's/^flags: //p' "$bm/qemu-aarch64")"
}

# e2e_check_images DOCKER ARCHS: each base image runs its own architecture's code (arm64 under QEMU),
# so a wrong one fails here, not in a test.
e2e_check_images() {
  local docker=$1 a run got
  for a in $2; do
    run="$docker run --rm --network=none --platform linux/$a"
    got="$($run "local/busybox-$a" uname -m)"
    [ "$got" = "$(e2e_uname_m "$a")" ] || { log "linux/$a image runs as: $got"; return 1; }
  done
  log "ok: $(for a in $2; do printf 'local/busybox-%s ' "$a"; done)"
}

e2e_uname_m() { case $1 in amd64) echo x86_64 ;; arm64) echo aarch64 ;; esac; }

# e2e_host_arch: this machine's architecture as Docker names it (no dpkg needed: a Mac has none)
e2e_host_arch() { case $(uname -m) in aarch64 | arm64) echo arm64 ;; *) echo amd64 ;; esac; }
