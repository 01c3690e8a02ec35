import { lines, ruleTable } from '../helpers/rule-table.js';

/** The guard for a stage that runs on the target platform. */
const G =
  'dfrewrite_uv_flags=; if [ -n "${BUILDARCH:-}" ] && [ "${TARGETARCH:-}" != "$BUILDARCH" ] && [ "$BUILDARCH/${TARGETARCH:-}" != amd64/386 ]; then export UV_COMPILE_BYTECODE=0; dfrewrite_uv_flags=--no-compile-bytecode; fi;';
/** The guard for a RUN with `UV_COMPILE_BYTECODE=1` on a command. */
const G_INLINE = G.replace('UV_COMPILE_BYTECODE=0;', 'UV_COMPILE_BYTECODE=0; dfrewrite_uv_bytecode=0;');
/** The guard for a stage pinned to linux/arm64. */
const G_ARM64 =
  'dfrewrite_uv_flags=; if [ -n "${BUILDARCH:-}" ] && [ "arm64" != "$BUILDARCH" ] && [ "$BUILDARCH/arm64" != amd64/386 ]; then export UV_COMPILE_BYTECODE=0; dfrewrite_uv_flags=--no-compile-bytecode; fi;';
const F = '$dfrewrite_uv_flags';

ruleTable('uv-emulated-bytecode', [
  {
    name: "the seed's shape: ENV in a builder stage, uv sync with cache and bind mounts",
    input: lines(
      'FROM ubuntu:22.04 AS builder',
      'ENV UV_LINK_MODE=copy \\',
      '    UV_COMPILE_BYTECODE=1',
      'RUN --mount=type=cache,target=/root/.cache/uv \\',
      '    --mount=type=bind,source=uv.lock,target=uv.lock \\',
      '    uv sync \\',
      '    --frozen',
      'FROM ubuntu:22.04',
      'COPY --from=builder /opt/app /opt/app',
    ),
    output: lines(
      'FROM ubuntu:22.04 AS builder',
      'ENV UV_LINK_MODE=copy \\',
      '    UV_COMPILE_BYTECODE=1',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      'RUN --mount=type=cache,target=/root/.cache/uv \\',
      '    --mount=type=bind,source=uv.lock,target=uv.lock \\',
      `    ${G} uv sync ${F} \\`,
      '    --frozen',
      'FROM ubuntu:22.04',
      'COPY --from=builder /opt/app /opt/app',
    ),
    findings: [{ line: 4, fixed: true, message: 'ENV UV_COMPILE_BYTECODE=1' }],
  },
  {
    name: 'ENV inherited from a parent stage; ARGs declared once per stage, before its first uv RUN',
    input: lines(
      'FROM python:3.12 AS base',
      'ENV UV_COMPILE_BYTECODE=true',
      'FROM base AS deps',
      'RUN uv pip install --system -r requirements.txt',
      'RUN uvx ruff --version && python -m uv tool install black',
    ),
    output: lines(
      'FROM python:3.12 AS base',
      'ENV UV_COMPILE_BYTECODE=true',
      'FROM base AS deps',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G} uv pip install ${F} --system -r requirements.txt`,
      `RUN ${G} uvx ${F} ruff --version && python -m uv tool install ${F} black`,
    ),
    findings: [
      { line: 4, fixed: true },
      { line: 5, fixed: true },
    ],
  },
  {
    name: 'ARGs the stage already declares are not declared again',
    input: lines('FROM python', 'ARG TARGETARCH', 'ENV UV_COMPILE_BYTECODE=1', 'RUN uv sync'),
    output: lines(
      'FROM python',
      'ARG TARGETARCH',
      'ENV UV_COMPILE_BYTECODE=1',
      'ARG BUILDARCH',
      `RUN ${G} uv sync ${F}`,
    ),
    findings: [{ line: 4, fixed: true, message: 'adds 1 line' }],
  },
  {
    name: 'a stage pinned to the build platform runs natively, and so do stages built from it',
    input: lines(
      'FROM --platform=$BUILDPLATFORM python AS a',
      'ENV UV_COMPILE_BYTECODE=1',
      'RUN uv sync',
      'FROM --platform=${BUILDPLATFORM} python AS b',
      'RUN uv sync --compile-bytecode',
      'FROM a AS c',
      'RUN uv sync',
    ),
    findings: [],
  },
  {
    name: 'a stage pinned to a fixed platform compares that platform with the build machine',
    input: lines('FROM --platform=linux/arm64 python', 'ENV UV_COMPILE_BYTECODE=1', 'RUN uv sync'),
    output: lines(
      'FROM --platform=linux/arm64 python',
      'ENV UV_COMPILE_BYTECODE=1',
      'ARG BUILDARCH',
      `RUN ${G_ARM64} uv sync ${F}`,
    ),
    findings: [{ line: 3, fixed: true }],
  },
  {
    name: 'an explicit --compile-bytecode (or --compile, all uv < 0.1.34 knows) becomes the variable, defaulting to itself as written',
    input: lines(
      'FROM python',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      'RUN uv sync --compile-bytecode && uv pip install --compile x',
    ),
    output: lines(
      'FROM python',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G} uv sync \${dfrewrite_uv_flags:---compile-bytecode} && uv pip install \${dfrewrite_uv_flags:---compile} x`,
    ),
    findings: [{ line: 4, fixed: true, message: '--compile-bytecode' }],
  },
  {
    name: 'ARG UV_COMPILE_BYTECODE without a default (set by --build-arg) is guarded; with 1 too',
    input: lines('FROM python', 'ARG UV_COMPILE_BYTECODE', 'RUN uv sync'),
    output: lines('FROM python', 'ARG UV_COMPILE_BYTECODE', 'ARG BUILDARCH', 'ARG TARGETARCH', `RUN ${G} uv sync ${F}`),
    findings: [{ line: 3, fixed: true, message: '--build-arg' }],
  },
  {
    name: 'a bare ARG UV_COMPILE_BYTECODE in the stage takes the global default of 1: guarded',
    input: lines('ARG UV_COMPILE_BYTECODE=1', 'FROM python', 'ARG UV_COMPILE_BYTECODE', 'RUN uv sync'),
    output: lines(
      'ARG UV_COMPILE_BYTECODE=1',
      'FROM python',
      'ARG UV_COMPILE_BYTECODE',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G} uv sync ${F}`,
    ),
    findings: [{ line: 4, fixed: true, message: '(ARG UV_COMPILE_BYTECODE=1)' }],
  },
  {
    name: 'a global UV_COMPILE_BYTECODE=0 brought into the stage by a bare ARG: nothing to do',
    input: lines('ARG UV_COMPILE_BYTECODE=0', 'FROM python', 'ARG UV_COMPILE_BYTECODE', 'RUN uv sync'),
    findings: [],
  },
  {
    name: 'bytecode off, or uv commands that install nothing: nothing to do',
    input: lines(
      'FROM python',
      'ENV UV_COMPILE_BYTECODE=0',
      'RUN uv sync',
      'ENV UV_COMPILE_BYTECODE=1',
      'RUN uv lock && uv venv && uv export > req.txt && uv pip compile x.in',
      'RUN uv sync --no-compile-bytecode',
      'RUN UV_COMPILE_BYTECODE=0 uv sync',
      'RUN echo uv sync',
    ),
    findings: [],
  },
  {
    name: 'UV_COMPILE_BYTECODE=1 on the command: its value reads a variable the guard sets to 0 where emulated',
    input: lines(
      'FROM python',
      'RUN UV_COMPILE_BYTECODE=1 uv sync && UV_LINK_MODE=copy UV_COMPILE_BYTECODE="True" uv pip install x',
    ),
    output: lines(
      'FROM python',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G_INLINE} UV_COMPILE_BYTECODE=\${dfrewrite_uv_bytecode:-1} uv sync ${F} && UV_LINK_MODE=copy UV_COMPILE_BYTECODE=\${dfrewrite_uv_bytecode:-"True"} uv pip install ${F} x`,
    ),
    findings: [{ line: 2, fixed: true, message: 'UV_COMPILE_BYTECODE=1 in the command' }],
  },
  {
    name: 'UV_COMPILE_BYTECODE=1 exported or assigned in the script, with env: each value reads the variable',
    input: lines(
      'FROM python',
      'ENV UV_COMPILE_BYTECODE=1',
      'RUN export UV_COMPILE_BYTECODE=1 && uv sync',
      'RUN UV_COMPILE_BYTECODE=on; env UV_COMPILE_BYTECODE=t uv tool install ruff',
    ),
    output: lines(
      'FROM python',
      'ENV UV_COMPILE_BYTECODE=1',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G_INLINE} export UV_COMPILE_BYTECODE=\${dfrewrite_uv_bytecode:-1} && uv sync ${F}`,
      `RUN ${G_INLINE} UV_COMPILE_BYTECODE=\${dfrewrite_uv_bytecode:-on}; env UV_COMPILE_BYTECODE=\${dfrewrite_uv_bytecode:-t} uv tool install ${F} ruff`,
    ),
    findings: [
      { line: 3, fixed: true, message: 'UV_COMPILE_BYTECODE=1 in the command' },
      { line: 4, fixed: true },
    ],
  },
  {
    name: 'an inline setting that is not a plain value is reported, not rewritten',
    input: lines('FROM python', 'RUN UV_COMPILE_BYTECODE=1"" uv sync'),
    findings: [{ line: 2, fixed: false, message: 'in the command is not a plain value; set it with ENV instead' }],
  },
  {
    name: 'uv python install|upgrade get no flag (uv < 0.9.25 rejects it and compiles nothing): the env var alone',
    input: lines(
      'FROM python',
      'ENV UV_COMPILE_BYTECODE=1',
      'RUN uv python install 3.12 && uv --no-cache python upgrade && uv sync',
      'RUN UV_COMPILE_BYTECODE=1 uv python install 3.13',
      'RUN uv python install --compile-bytecode 3.14',
    ),
    output: lines(
      'FROM python',
      'ENV UV_COMPILE_BYTECODE=1',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G} uv python install 3.12 && uv --no-cache python upgrade && uv sync ${F}`,
      `RUN ${G_INLINE} UV_COMPILE_BYTECODE=\${dfrewrite_uv_bytecode:-1} uv python install 3.13`,
      // written by the user, so their uv has the pair (0.9.25 or later)
      `RUN ${G} uv python install \${dfrewrite_uv_flags:---compile-bytecode} 3.14`,
    ),
    findings: [
      { line: 3, fixed: true },
      { line: 4, fixed: true },
      { line: 5, fixed: true },
    ],
  },
  {
    name: 'a heredoc script gets the guard as its first line (after a shell shebang)',
    input: lines(
      'FROM python',
      'ENV UV_COMPILE_BYTECODE=1',
      'RUN <<EOF',
      '#!/bin/bash',
      'set -e',
      'uv sync --frozen',
      'EOF',
    ),
    output: lines(
      'FROM python',
      'ENV UV_COMPILE_BYTECODE=1',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      'RUN <<EOF',
      '#!/bin/bash',
      G,
      'set -e',
      `uv sync ${F} --frozen`,
      'EOF',
    ),
    findings: [{ line: 3, fixed: true, message: 'adds 3 lines' }],
  },
  {
    name: 'a heredoc without a shebang, with <<- and a quoted delimiter',
    input: lines('FROM python', 'ENV UV_COMPILE_BYTECODE=1', 'RUN <<-"EOT"', '\tuv sync', '\tEOT'),
    output: lines(
      'FROM python',
      'ENV UV_COMPILE_BYTECODE=1',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      'RUN <<-"EOT"',
      G,
      `\tuv sync ${F}`,
      '\tEOT',
    ),
    findings: [{ line: 3, fixed: true }],
  },
  {
    name: 'a heredoc in another language, exec form, a non-POSIX SHELL and ONBUILD are reported only',
    input: lines(
      'FROM python',
      'ENV UV_COMPILE_BYTECODE=1',
      'RUN <<EOF',
      '#!/usr/bin/env python3',
      'import subprocess; subprocess.run(["uv", "sync"])',
      'uv sync',
      'EOF',
      'RUN ["uv", "sync", "--frozen"]',
      'ONBUILD RUN uv sync',
      'SHELL ["pwsh", "-Command"]',
      'RUN uv sync',
    ),
    findings: [
      { line: 3, fixed: false, message: 'not a shell script' },
      { line: 8, fixed: false, message: 'exec form' },
      { line: 9, fixed: false, message: 'ONBUILD' },
      { line: 11, fixed: false, message: 'not a POSIX shell' },
    ],
  },
  {
    name: 'CRLF files get CRLF lines; a backtick escape file keeps its continuations',
    input:
      '# escape=`\r\nFROM python\r\nENV UV_COMPILE_BYTECODE=1\r\nRUN --mount=type=cache,target=/root/.cache/uv `\r\n    uv sync\r\n',
    output: `# escape=\`\r\nFROM python\r\nENV UV_COMPILE_BYTECODE=1\r\nARG BUILDARCH\r\nARG TARGETARCH\r\nRUN --mount=type=cache,target=/root/.cache/uv \`\r\n    ${G} uv sync ${F}\r\n`,
    findings: [{ line: 4, fixed: true }],
  },
  {
    name: 'indented instructions keep their indentation on the inserted ARG lines',
    input: lines('FROM python', '  ENV UV_COMPILE_BYTECODE=1', '  RUN uv sync'),
    output: lines(
      'FROM python',
      '  ENV UV_COMPILE_BYTECODE=1',
      '  ARG BUILDARCH',
      '  ARG TARGETARCH',
      `  RUN ${G} uv sync ${F}`,
    ),
    findings: [{ line: 3, fixed: true }],
  },
]);

ruleTable('uv-emulated-bytecode', [
  {
    name: 'a heredoc body whose lines end in the escape character (find -exec … \\;) is read to its terminator',
    input: lines(
      'FROM python',
      'ENV UV_COMPILE_BYTECODE=1',
      'RUN <<EOT',
      '    find . -exec true {} \\;',
      '    uv sync',
      'EOT',
      'RUN echo after',
    ),
    output: lines(
      'FROM python',
      'ENV UV_COMPILE_BYTECODE=1',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      'RUN <<EOT',
      G,
      '    find . -exec true {} \\;',
      `    uv sync ${F}`,
      'EOT',
      'RUN echo after',
    ),
    findings: [{ line: 3, fixed: true }],
  },
]);

/** The emulation guard follows each stage's real platform (core/platform.ts stagePlatform). */
ruleTable('uv-emulated-bytecode', [
  {
    name: 'a grandchild of a $BUILDPLATFORM stage runs natively; stage names are matched case-insensitively',
    input: lines(
      'FROM --platform=$BUILDPLATFORM python AS Build',
      'ENV UV_COMPILE_BYTECODE=1',
      'FROM BUILD AS deps',
      'FROM deps AS app',
      'RUN uv sync',
    ),
    findings: [],
  },
  {
    name: 'a child of a stage pinned to linux/arm64 compares arm64 with BUILDARCH, and declares only BUILDARCH',
    input: lines(
      'FROM --platform=linux/arm64 python AS pinned',
      'ENV UV_COMPILE_BYTECODE=1',
      'FROM pinned',
      'RUN uv sync',
    ),
    output: lines(
      'FROM --platform=linux/arm64 python AS pinned',
      'ENV UV_COMPILE_BYTECODE=1',
      'FROM pinned',
      'ARG BUILDARCH',
      `RUN ${G_ARM64} uv sync ${F}`,
    ),
    findings: [{ line: 4, fixed: true }],
  },
  {
    name: 'a variant (linux/arm64/v8) and a quoted platform are read as their architecture',
    input: lines('FROM --platform="linux/arm64/v8" python', 'ENV UV_COMPILE_BYTECODE=1', 'RUN uv sync'),
    output: lines(
      'FROM --platform="linux/arm64/v8" python',
      'ENV UV_COMPILE_BYTECODE=1',
      'ARG BUILDARCH',
      `RUN ${G_ARM64} uv sync ${F}`,
    ),
    findings: [{ line: 3, fixed: true }],
  },
  {
    name: '--platform=$TARGETPLATFORM is the target: the guard compares TARGETARCH with BUILDARCH',
    input: lines('FROM --platform=$TARGETPLATFORM python', 'ENV UV_COMPILE_BYTECODE=1', 'RUN uv sync'),
    output: lines(
      'FROM --platform=$TARGETPLATFORM python',
      'ENV UV_COMPILE_BYTECODE=1',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G} uv sync ${F}`,
    ),
    findings: [{ line: 3, fixed: true }],
  },
  {
    name: 'a stage FROM an image that shares a later stage name is not that stage',
    input: lines(
      'FROM python AS first',
      'ENV UV_COMPILE_BYTECODE=1',
      'RUN uv sync',
      'FROM --platform=$BUILDPLATFORM python AS python',
      'ENV UV_COMPILE_BYTECODE=1',
      'RUN uv sync',
    ),
    output: lines(
      'FROM python AS first',
      'ENV UV_COMPILE_BYTECODE=1',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G} uv sync ${F}`,
      'FROM --platform=$BUILDPLATFORM python AS python',
      'ENV UV_COMPILE_BYTECODE=1',
      'RUN uv sync',
    ),
    findings: [{ line: 3, fixed: true }],
  },
  {
    name: 'a stage built FROM a guarded stage declares its own platform ARGs, and keeps them (docs/arg-scoping.md)',
    input: lines(
      'FROM python AS base',
      'ENV UV_COMPILE_BYTECODE=1',
      'RUN uv sync',
      'FROM base AS app',
      'RUN uv pip install x',
    ),
    output: lines(
      'FROM python AS base',
      'ENV UV_COMPILE_BYTECODE=1',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G} uv sync ${F}`,
      'FROM base AS app',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G} uv pip install ${F} x`,
    ),
    findings: [
      { line: 3, fixed: true },
      { line: 5, fixed: true },
    ],
  },
  {
    name: 'ARGs the parent stage declares are inherited (BuildKit 0.8 and later, measured): not declared again',
    input: lines(
      'FROM python AS base',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      'FROM base',
      'ENV UV_COMPILE_BYTECODE=1',
      'RUN uv sync',
    ),
    output: lines(
      'FROM python AS base',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      'FROM base',
      'ENV UV_COMPILE_BYTECODE=1',
      `RUN ${G} uv sync ${F}`,
    ),
    findings: [{ line: 6, fixed: true }],
  },
]);
