import { lines, ruleTable } from '../helpers/rule-table.js';

ruleTable('cache-mount-sharing', [
  {
    name: 'the seed report: two parallel stages share the apt cache',
    input: lines(
      'FROM debian:bookworm-20230919 as builder',
      'RUN rm -f /etc/apt/apt.conf.d/docker-clean',
      'RUN --mount=type=cache,target=/var/cache/apt apt update && apt -y --no-install-recommends install build-essential',
      '',
      'FROM debian:bookworm-20230919 as production',
      'RUN rm -f /etc/apt/apt.conf.d/docker-clean',
      'RUN --mount=type=cache,target=/var/cache/apt apt update && apt -y --no-install-recommends install vim',
    ),
    output: lines(
      'FROM debian:bookworm-20230919 as builder',
      'RUN rm -f /etc/apt/apt.conf.d/docker-clean',
      'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt update && apt -y --no-install-recommends install build-essential',
      '',
      'FROM debian:bookworm-20230919 as production',
      'RUN rm -f /etc/apt/apt.conf.d/docker-clean',
      'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt update && apt -y --no-install-recommends install vim',
    ),
    findings: [
      { line: 3, fixed: true, message: 'set sharing=locked' },
      { line: 7, fixed: true },
    ],
  },
  {
    name: 'every apt directory, with and without a trailing slash',
    input: lines(
      'FROM debian',
      'RUN --mount=type=cache,target=/var/cache/apt/ \\',
      '    --mount=type=cache,target=/var/cache/apt/archives \\',
      '    --mount=type=cache,target=/var/lib/apt \\',
      '    --mount=type=cache,target=/var/lib/apt/lists/ apt-get update',
    ),
    output: lines(
      'FROM debian',
      'RUN --mount=type=cache,target=/var/cache/apt/,sharing=locked \\',
      '    --mount=type=cache,target=/var/cache/apt/archives,sharing=locked \\',
      '    --mount=type=cache,target=/var/lib/apt,sharing=locked \\',
      '    --mount=type=cache,target=/var/lib/apt/lists/,sharing=locked apt-get update',
    ),
    findings: [
      { line: 2, fixed: true },
      { line: 3, fixed: true },
      { line: 4, fixed: true },
      { line: 5, fixed: true },
    ],
  },
  {
    name: 'options in any order, keys in any case, dst and destination aliases',
    input: lines(
      'FROM debian',
      'RUN --mount=TARGET=/var/cache/apt,Type=Cache --mount=dst=/var/lib/apt,type=cache --mount=type=cache,destination=/var/lib/apt/lists true',
    ),
    output: lines(
      'FROM debian',
      'RUN --mount=TARGET=/var/cache/apt,Type=Cache,sharing=locked --mount=dst=/var/lib/apt,type=cache,sharing=locked --mount=type=cache,destination=/var/lib/apt/lists,sharing=locked true',
    ),
    findings: [
      { line: 2, fixed: true },
      { line: 2, fixed: true },
      { line: 2, fixed: true },
    ],
  },
  {
    name: 'a quoted flag value keeps the option inside its quotes; a quoted field keeps its quotes',
    input: lines(
      'FROM debian',
      'RUN --mount="type=cache,target=/var/cache/apt" --mount=type=cache,target="/var/lib/apt" apt-get update',
    ),
    output: lines(
      'FROM debian',
      'RUN --mount="type=cache,target=/var/cache/apt,sharing=locked" --mount=type=cache,target="/var/lib/apt",sharing=locked apt-get update',
    ),
    findings: [
      { line: 2, fixed: true },
      { line: 2, fixed: true },
    ],
  },
  {
    name: 'a flag split by a line continuation (no indentation: BuildKit joins it into one word)',
    input: lines('FROM debian', 'RUN --mount=type=cache,\\', 'target=/var/cache/apt \\', '    apt-get update'),
    output: lines(
      'FROM debian',
      'RUN --mount=type=cache,\\',
      'target=/var/cache/apt,sharing=locked \\',
      '    apt-get update',
    ),
    findings: [{ line: 2, fixed: true }],
  },
  {
    name: 'comment and blank lines inside a continuation are skipped as BuildKit skips them',
    input: lines(
      'FROM debian',
      'RUN \\',
      '  # the apt cache',
      '',
      '  --mount=type=cache,target=/var/cache/apt apt-get update',
    ),
    output: lines(
      'FROM debian',
      'RUN \\',
      '  # the apt cache',
      '',
      '  --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update',
    ),
    findings: [{ line: 5, fixed: true }],
  },
  {
    name: 'every cache mount with the id of an apt cache is locked, whatever its target',
    input: lines(
      'FROM debian AS a',
      'RUN --mount=type=cache,id=apt,target=/var/cache/apt apt-get update',
      'FROM debian AS b',
      'RUN --mount=type=cache,id=apt,target=/opt/apt-cache ls /opt/apt-cache',
      'RUN --mount=type=cache,target=/opt/other ls',
    ),
    output: lines(
      'FROM debian AS a',
      'RUN --mount=type=cache,id=apt,target=/var/cache/apt,sharing=locked apt-get update',
      'FROM debian AS b',
      'RUN --mount=type=cache,id=apt,target=/opt/apt-cache,sharing=locked ls /opt/apt-cache',
      'RUN --mount=type=cache,target=/opt/other ls',
    ),
    findings: [
      { line: 2, fixed: true },
      { line: 4, fixed: true, message: 'id=apt' },
    ],
  },
  {
    name: 'a default id is the cleaned target, so another mount may name it as id',
    input: lines(
      'FROM debian',
      'RUN --mount=type=cache,target=/var/cache/apt/ apt-get update',
      'RUN --mount=type=cache,id=/var/cache/apt,target=/mnt ls /mnt',
    ),
    output: lines(
      'FROM debian',
      'RUN --mount=type=cache,target=/var/cache/apt/,sharing=locked apt-get update',
      'RUN --mount=type=cache,id=/var/cache/apt,target=/mnt,sharing=locked ls /mnt',
    ),
    findings: [
      { line: 2, fixed: true },
      { line: 3, fixed: true },
    ],
  },
  {
    name: 'explicit private and locked are left alone',
    input: lines(
      'FROM debian',
      'RUN --mount=type=cache,target=/var/cache/apt,sharing=private --mount=type=cache,target=/var/lib/apt,sharing=LOCKED apt-get update',
    ),
    findings: [],
  },
  {
    name: 'explicit sharing=shared is reported, not changed',
    input: lines('FROM debian', 'RUN --mount=type=cache,sharing=shared,target=/var/cache/apt apt-get update'),
    findings: [{ line: 2, fixed: false, message: 'left as written' }],
  },
  {
    name: 'bind and tmpfs mounts of the same paths, and other caches, are not caches of apt',
    input: lines(
      'FROM debian',
      'RUN --mount=type=bind,target=/var/cache/apt --mount=type=tmpfs,target=/var/lib/apt --mount=target=/var/lib/apt/lists true',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install x',
    ),
    findings: [],
  },
  {
    name: 'ONBUILD triggers are locked too',
    input: lines('FROM debian', 'ONBUILD RUN --mount=type=cache,target=/var/cache/apt apt-get update'),
    output: lines('FROM debian', 'ONBUILD RUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update'),
    findings: [{ line: 2, fixed: true }],
  },
  {
    name: 'CRLF line endings are kept',
    input: 'FROM debian\r\nRUN --mount=type=cache,target=/var/cache/apt \\\r\n  apt-get update\r\n',
    output: 'FROM debian\r\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\r\n  apt-get update\r\n',
    findings: [{ line: 2, fixed: true }],
  },
  {
    name: 'a backtick escape directive (Windows style) and a BOM',
    input: '\uFEFF# escape=`\nFROM debian\nRUN --mount=type=cache,target=/var/cache/apt `\n  apt-get update\n',
    output:
      '\uFEFF# escape=`\nFROM debian\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked `\n  apt-get update\n',
    findings: [{ line: 3, fixed: true }],
  },
  {
    name: 'heredoc bodies are not touched, even when they look like mounts',
    input: lines(
      'FROM debian',
      'RUN --mount=type=cache,target=/var/cache/apt <<EOF',
      'echo "--mount=type=cache,target=/var/cache/apt"',
      'apt-get update',
      'EOF',
    ),
    output: lines(
      'FROM debian',
      'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked <<EOF',
      'echo "--mount=type=cache,target=/var/cache/apt"',
      'apt-get update',
      'EOF',
    ),
    findings: [{ line: 2, fixed: true }],
  },
  {
    name: 'a mount after the command is an argument, not a flag',
    input: lines('FROM debian', 'RUN echo --mount=type=cache,target=/var/cache/apt'),
    findings: [],
  },
]);

ruleTable('cache-mount-sharing', [
  {
    name: "cargo's registry and git caches in the official Rust image (CARGO_HOME=/usr/local/cargo)",
    input: lines(
      'FROM rust:1.82 AS build',
      'RUN --mount=type=cache,target=/usr/local/cargo/registry \\',
      '    --mount=type=cache,target=/usr/local/cargo/git/db \\',
      '    --mount=type=cache,target=/app/target \\',
      '    cargo build --release',
    ),
    output: lines(
      'FROM rust:1.82 AS build',
      'RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \\',
      '    --mount=type=cache,target=/usr/local/cargo/git/db,sharing=locked \\',
      '    --mount=type=cache,target=/app/target \\',
      '    cargo build --release',
    ),
    findings: [
      { line: 2, fixed: true, message: "cargo's lock ($CARGO_HOME/.package-cache) is outside it" },
      { line: 3, fixed: true },
    ],
  },
  {
    name: '~/.cargo of root and of other users, and $CARGO_HOME written as a variable the base image sets',
    input: lines(
      'FROM debian',
      'RUN --mount=type=cache,target=/root/.cargo/registry --mount=type=cache,target=/home/app/.cargo/git cargo fetch',
      'RUN --mount=type=cache,target=$CARGO_HOME/registry --mount=type=cache,target=${CARGO_HOME}/git cargo fetch',
    ),
    output: lines(
      'FROM debian',
      'RUN --mount=type=cache,target=/root/.cargo/registry,sharing=locked --mount=type=cache,target=/home/app/.cargo/git,sharing=locked cargo fetch',
      'RUN --mount=type=cache,target=$CARGO_HOME/registry,sharing=locked --mount=type=cache,target=${CARGO_HOME}/git,sharing=locked cargo fetch',
    ),
    findings: [
      { line: 2, fixed: true },
      { line: 2, fixed: true },
      { line: 3, fixed: true },
      { line: 3, fixed: true },
    ],
  },
  {
    name: 'CARGO_HOME set by ENV (inherited through FROM <stage>) or ARG is honoured; the whole $CARGO_HOME is left alone',
    input: lines(
      'FROM rust AS base',
      'ENV CARGO_HOME=/opt/cargo',
      'FROM base',
      'RUN --mount=type=cache,target=${CARGO_HOME}/registry --mount=type=cache,target=/opt/cargo/git cargo fetch',
      'RUN --mount=type=cache,target=/opt/cargo --mount=type=cache,target=/usr/local/cargo/registry cargo fetch',
      'FROM rust',
      'ARG CARGO_HOME=/cargo',
      'RUN --mount=type=cache,target=/cargo/registry/index cargo fetch',
    ),
    output: lines(
      'FROM rust AS base',
      'ENV CARGO_HOME=/opt/cargo',
      'FROM base',
      'RUN --mount=type=cache,target=${CARGO_HOME}/registry,sharing=locked --mount=type=cache,target=/opt/cargo/git,sharing=locked cargo fetch',
      'RUN --mount=type=cache,target=/opt/cargo --mount=type=cache,target=/usr/local/cargo/registry cargo fetch',
      'FROM rust',
      'ARG CARGO_HOME=/cargo',
      'RUN --mount=type=cache,target=/cargo/registry/index,sharing=locked cargo fetch',
    ),
    findings: [
      { line: 4, fixed: true, message: 'cache mount ${CARGO_HOME}/registry (/opt/cargo/registry)' },
      { line: 4, fixed: true },
      { line: 8, fixed: true },
    ],
  },
  {
    name: 'mounts of the whole cargo home, of cargo/bin, and of look-alikes are left alone',
    input: lines(
      'FROM rust',
      'RUN --mount=type=cache,target=/usr/local/cargo --mount=type=cache,target=/root/.cargo --mount=type=cache,target=/usr/local/cargo/bin --mount=type=cache,target=/srv/registry cargo fetch',
    ),
    findings: [],
  },
  {
    name: 'dnf, yum, zypper, pacman and apk caches',
    input: lines(
      'FROM fedora',
      'RUN --mount=type=cache,target=/var/cache/dnf --mount=type=cache,target=/var/cache/yum/ dnf install -y gcc',
      'FROM opensuse/tumbleweed',
      'RUN --mount=type=cache,target=/var/cache/zypp zypper install -y gcc',
      'FROM archlinux',
      'RUN --mount=type=cache,target=/var/cache/pacman/pkg --mount=type=cache,target=/var/cache/pacman pacman -Sy gcc',
      'FROM alpine',
      'RUN --mount=type=cache,target=/etc/apk/cache --mount=type=cache,target=/var/cache/apk apk add gcc',
    ),
    output: lines(
      'FROM fedora',
      'RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked --mount=type=cache,target=/var/cache/yum/,sharing=locked dnf install -y gcc',
      'FROM opensuse/tumbleweed',
      'RUN --mount=type=cache,target=/var/cache/zypp,sharing=locked zypper install -y gcc',
      'FROM archlinux',
      'RUN --mount=type=cache,target=/var/cache/pacman/pkg,sharing=locked --mount=type=cache,target=/var/cache/pacman,sharing=locked pacman -Sy gcc',
      'FROM alpine',
      'RUN --mount=type=cache,target=/etc/apk/cache,sharing=locked --mount=type=cache,target=/var/cache/apk,sharing=locked apk add gcc',
    ),
    findings: [
      { line: 2, fixed: true, message: 'dnf/yum does not coordinate' },
      { line: 2, fixed: true },
      { line: 4, fixed: true, message: 'zypper' },
      { line: 6, fixed: true, message: 'pacman' },
      { line: 6, fixed: true },
      { line: 8, fixed: true, message: 'apk' },
      { line: 8, fixed: true },
    ],
  },
  {
    name: 'a target written with a variable is compared once resolved (ENV and ARG in scope); ids too',
    input: lines(
      'FROM debian',
      'ARG APT_CACHE=/var/cache/apt',
      'ENV DNF_ID=dnf',
      'RUN --mount=type=cache,target=$APT_CACHE apt-get update',
      'RUN --mount=type=cache,target=/var/cache/dnf,id=${DNF_ID} --mount=type=cache,target=/mnt,id=dnf,sharing=private dnf -y install x',
      'RUN --mount=type=cache,target=/other,id=dnf ls /other',
    ),
    output: lines(
      'FROM debian',
      'ARG APT_CACHE=/var/cache/apt',
      'ENV DNF_ID=dnf',
      'RUN --mount=type=cache,target=$APT_CACHE,sharing=locked apt-get update',
      'RUN --mount=type=cache,target=/var/cache/dnf,id=${DNF_ID},sharing=locked --mount=type=cache,target=/mnt,id=dnf,sharing=private dnf -y install x',
      'RUN --mount=type=cache,target=/other,id=dnf,sharing=locked ls /other',
    ),
    findings: [
      { line: 4, fixed: true, message: 'cache mount $APT_CACHE (/var/cache/apt)' },
      { line: 5, fixed: true },
      { line: 6, fixed: true, message: "shared with dnf/yum's cache" },
    ],
  },
  {
    name: 'issue 18: a bare ARG in each stage takes the global default, so both stages share the apt cache',
    input: lines(
      'ARG APT_CACHE=/var/cache/apt',
      'FROM debian:bookworm AS a',
      'ARG APT_CACHE',
      'RUN --mount=type=cache,target=${APT_CACHE} apt-get update',
      'FROM debian:bookworm AS b',
      'ARG APT_CACHE',
      'RUN --mount=type=cache,target=$APT_CACHE apt-get update',
      'FROM a AS c',
      'RUN --mount=type=cache,target=$APT_CACHE/archives apt-get install -y curl',
    ),
    output: lines(
      'ARG APT_CACHE=/var/cache/apt',
      'FROM debian:bookworm AS a',
      'ARG APT_CACHE',
      'RUN --mount=type=cache,target=${APT_CACHE},sharing=locked apt-get update',
      'FROM debian:bookworm AS b',
      'ARG APT_CACHE',
      'RUN --mount=type=cache,target=$APT_CACHE,sharing=locked apt-get update',
      'FROM a AS c',
      'RUN --mount=type=cache,target=$APT_CACHE/archives,sharing=locked apt-get install -y curl',
    ),
    findings: [
      { line: 4, fixed: true, message: 'cache mount ${APT_CACHE} (/var/cache/apt)' },
      { line: 7, fixed: true },
      { line: 9, fixed: true, message: '(/var/cache/apt/archives)' },
    ],
  },
  {
    name: 'a global ARG not redeclared in the stage is empty there; a global default may read an earlier global',
    input: lines(
      'ARG APT_CACHE=/var/cache/apt',
      'ARG VAR=/var',
      'ARG LISTS=${VAR}/lib/apt/lists',
      'FROM debian',
      'ARG LISTS',
      'RUN --mount=type=cache,target=/x$APT_CACHE --mount=type=cache,target=$LISTS apt-get update',
    ),
    output: lines(
      'ARG APT_CACHE=/var/cache/apt',
      'ARG VAR=/var',
      'ARG LISTS=${VAR}/lib/apt/lists',
      'FROM debian',
      'ARG LISTS',
      'RUN --mount=type=cache,target=/x$APT_CACHE --mount=type=cache,target=$LISTS,sharing=locked apt-get update',
    ),
    findings: [{ line: 6, fixed: true, message: 'cache mount $LISTS (/var/lib/apt/lists)' }],
  },
  {
    name: 'an id from a global ARG redeclared in the stage: another mount of that id shares the apt cache',
    input: lines(
      'ARG APT_ID=apt',
      'FROM debian',
      'ARG APT_ID',
      'RUN --mount=type=cache,target=/var/cache/apt,id=$APT_ID apt-get update',
      'RUN --mount=type=cache,target=/srv/apt,id=apt ls /srv/apt',
    ),
    output: lines(
      'ARG APT_ID=apt',
      'FROM debian',
      'ARG APT_ID',
      'RUN --mount=type=cache,target=/var/cache/apt,id=$APT_ID,sharing=locked apt-get update',
      'RUN --mount=type=cache,target=/srv/apt,id=apt,sharing=locked ls /srv/apt',
    ),
    findings: [
      { line: 4, fixed: true },
      { line: 5, fixed: true, message: "(id=apt, shared with apt's cache)" },
    ],
  },
  {
    name: 'CARGO_HOME from a global ARG redeclared in the stage decides which folders are cargo caches',
    input: lines(
      'ARG CARGO_HOME=/cargo',
      'FROM rust',
      'ARG CARGO_HOME',
      'RUN --mount=type=cache,target=/cargo/registry --mount=type=cache,target=/usr/local/cargo/git cargo fetch',
    ),
    output: lines(
      'ARG CARGO_HOME=/cargo',
      'FROM rust',
      'ARG CARGO_HOME',
      'RUN --mount=type=cache,target=/cargo/registry,sharing=locked --mount=type=cache,target=/usr/local/cargo/git cargo fetch',
    ),
    findings: [{ line: 4, fixed: true, message: "cargo's lock" }],
  },
  {
    name: 'cargo: sharing=shared is reported; private and locked are left alone; ONBUILD, CRLF and a split flag are locked',
    input:
      'FROM rust\r\n' +
      'RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=shared cargo fetch\r\n' +
      'RUN --mount=type=cache,target=/usr/local/cargo/git,sharing=private --mount=type=cache,target=/root/.cargo/git,sharing=locked cargo fetch\r\n' +
      'ONBUILD RUN --mount=type=cache,target=/root/.cargo/registry cargo fetch\r\n' +
      'RUN --mount=type=cache,\\\r\ntarget=/usr/local/cargo/git/db cargo fetch\r\n',
    output:
      'FROM rust\r\n' +
      'RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=shared cargo fetch\r\n' +
      'RUN --mount=type=cache,target=/usr/local/cargo/git,sharing=private --mount=type=cache,target=/root/.cargo/git,sharing=locked cargo fetch\r\n' +
      'ONBUILD RUN --mount=type=cache,target=/root/.cargo/registry,sharing=locked cargo fetch\r\n' +
      'RUN --mount=type=cache,\\\r\ntarget=/usr/local/cargo/git/db,sharing=locked cargo fetch\r\n',
    findings: [
      { line: 2, fixed: false, message: 'left as written' },
      { line: 4, fixed: true },
      { line: 5, fixed: true },
    ],
  },
  {
    name: 'a heredoc RUN with a cargo cache',
    input: lines('FROM rust', 'RUN --mount=type=cache,target=/usr/local/cargo/registry <<EOF', 'cargo fetch', 'EOF'),
    output: lines(
      'FROM rust',
      'RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked <<EOF',
      'cargo fetch',
      'EOF',
    ),
    findings: [{ line: 2, fixed: true }],
  },
]);
