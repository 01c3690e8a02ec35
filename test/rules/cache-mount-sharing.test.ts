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
    output: lines('FROM debian', 'RUN --mount=type=cache,\\', 'target=/var/cache/apt,sharing=locked \\', '    apt-get update'),
    findings: [{ line: 2, fixed: true }],
  },
  {
    name: 'comment and blank lines inside a continuation are skipped as BuildKit skips them',
    input: lines('FROM debian', 'RUN \\', '  # the apt cache', '', '  --mount=type=cache,target=/var/cache/apt apt-get update'),
    output: lines('FROM debian', 'RUN \\', '  # the apt cache', '', '  --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update'),
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
    output: '\uFEFF# escape=`\nFROM debian\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked `\n  apt-get update\n',
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
