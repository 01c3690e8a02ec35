#!/usr/bin/env bash
# Debian 12's Docker 20.10 (BuildKit 0.8) as an isolated, network-less daemon for the e2e tests.
#
#   scripts/e2e/engine-2010.sh start    install docker.io if missing, start dockerd (or reuse it), print exports
#   scripts/e2e/engine-2010.sh env      print the exports: eval "$(scripts/e2e/engine-2010.sh env)"
#   scripts/e2e/engine-2010.sh status   say whether it runs
#   scripts/e2e/engine-2010.sh stop     stop it by pidfile
#
# Everything lives under $DFREWRITE_E2E_ROOT/engine-2010 (default /var/tmp/dfrewrite-e2e): its own
# data root, exec root, socket and pidfile, so it never touches a system Docker. Needs root.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ROOT=${DFREWRITE_E2E_ROOT:-/var/tmp/dfrewrite-e2e}
D=$ROOT/engine-2010
SOCK=$D/docker.sock
PIDF=$D/docker.pid
LOG=$D/dockerd.log
DOCKER=/usr/bin/docker   # Debian's 20.10 client; /usr/local/bin/docker may be another version

log() { echo "engine-2010: $*" >&2; }
die() { log "$*"; exit 1; }

exports() {
  echo "export DOCKER_HOST=unix://$SOCK"
  echo "export DOCKER_BUILDKIT=1"
  echo "export DFREWRITE_E2E_DOCKER=$DOCKER"
}

running_pid() {  # dockerd's pid, if the pidfile names a live dockerd
  local pid
  [ -s "$PIDF" ] || return 1
  pid=$(cat "$PIDF")
  kill -0 "$pid" 2>/dev/null && grep -qx dockerd "/proc/$pid/comm" 2>/dev/null || return 1
  echo "$pid"
}

answering() { [ -S "$SOCK" ] && answers > /dev/null; }
answers() { DOCKER_HOST=unix://$SOCK timeout 10 "$DOCKER" version --format '{{.Server.Version}}' 2>/dev/null; }

install() {
  [ -x /usr/sbin/dockerd ] && [ -x "$DOCKER" ] && return
  log "installing docker.io (Debian 12: Docker 20.10)"
  # the package's service must not start a system daemon; ours is started below
  local prc=/usr/sbin/policy-rc.d added=0
  [ -e $prc ] || { printf '#!/bin/sh\nexit 101\n' > $prc; chmod 755 $prc; added=1; }
  e2e_apt_get update && e2e_apt_get install -y --no-install-recommends docker.io
  [ $added = 0 ] || rm -f $prc
}

start() {
  local pid
  mkdir -p "$D"
  install
  if pid=$(running_pid); then
    log "dockerd already running (pid $pid)"; exports; return
  fi
  rm -f "$SOCK" "$PIDF"
  log "starting dockerd, log: $LOG"
  # setsid: the daemon outlives this shell; 9>&- keeps the start lock from leaking into it
  setsid /usr/sbin/dockerd --data-root "$D/data" --exec-root "$D/exec" --host "unix://$SOCK" --pidfile "$PIDF" \
    --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
    >> "$LOG" 2>&1 < /dev/null 9>&- &
  local bg=$! rc=0
  e2e_wait $bg 30 answering || rc=$?
  case $rc in
    0) log "dockerd $(answers) up after ~${E2E_WAITED}s (pid $(cat "$PIDF"))"; exports ;;
    1) tail -20 "$LOG" >&2; die "dockerd exited" ;;
    *) tail -20 "$LOG" >&2; die "dockerd did not answer in 30s (pid $bg still running; run stop)" ;;
  esac
}

stop() {
  local pid
  if ! pid=$(running_pid); then log "dockerd not running"; return; fi
  log "stopping dockerd pid $pid"
  e2e_term_then_kill dockerd "$pid" 30
  log "stopped"
}

status() {
  local pid
  if pid=$(running_pid); then echo "dockerd $(answers) running: pid $pid, DOCKER_HOST=unix://$SOCK"
  else echo "dockerd not running ($D)"; return 1; fi
}

case ${1:-} in
  start|stop|status)
    mkdir -p "$ROOT"
    exec 9> "$ROOT/engine-2010.lock"; flock -w 120 9 || die "another engine-2010.sh holds $ROOT/engine-2010.lock"
    "$1" ;;
  env) exports ;;
  *) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac
