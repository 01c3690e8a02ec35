import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel } from '../../src/core/model/model.js';
import { rewrite } from '../../src/core/rewrite.js';
import { lines, ruleTable } from '../helpers/rule-table.js';

/** The guard for a stage that runs on the target platform. */
const G =
  'dfrewrite_bootsnap_flags=; if [ -n "${BUILDARCH:-}" ] && [ "${TARGETARCH:-}" != "$BUILDARCH" ] && [ "$BUILDARCH/${TARGETARCH:-}" != amd64/386 ]; then dfrewrite_bootsnap_flags="-j 1"; fi;';
const G_ARM64 =
  'dfrewrite_bootsnap_flags=; if [ -n "${BUILDARCH:-}" ] && [ "arm64" != "$BUILDARCH" ] && [ "$BUILDARCH/arm64" != amd64/386 ]; then dfrewrite_bootsnap_flags="-j 1"; fi;';
const F = '$dfrewrite_bootsnap_flags';

ruleTable('bootsnap-emulated-jobs', [
  {
    name: 'a stage built FROM a guarded stage declares its own platform ARGs (docs/arg-scoping.md)',
    input: lines(
      'FROM ruby AS base',
      'RUN bundle exec bootsnap precompile --gemfile',
      'FROM base AS app',
      'RUN bundle exec bootsnap precompile app/',
    ),
    output: lines(
      'FROM ruby AS base',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G} bundle exec bootsnap precompile ${F} --gemfile`,
      'FROM base AS app',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G} bundle exec bootsnap precompile ${F} app/`,
    ),
    findings: [
      { line: 2, fixed: true },
      { line: 4, fixed: true },
    ],
  },
  {
    name: 'the Rails template shape: bundle exec bootsnap precompile, twice in a stage; ARGs declared once',
    input: lines(
      'FROM ruby:3.3-slim AS build',
      'RUN bundle install && \\',
      '    rm -rf ~/.bundle/ && \\',
      '    bundle exec bootsnap precompile --gemfile',
      'COPY . .',
      'RUN bundle exec bootsnap precompile app/ lib/',
    ),
    output: lines(
      'FROM ruby:3.3-slim AS build',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G} bundle install && \\`,
      '    rm -rf ~/.bundle/ && \\',
      `    bundle exec bootsnap precompile ${F} --gemfile`,
      'COPY . .',
      `RUN ${G} bundle exec bootsnap precompile ${F} app/ lib/`,
    ),
    findings: [
      { line: 2, fixed: true, message: '-j 1 where this stage runs emulated, parallel natively (adds 2 lines)' },
      { line: 6, fixed: true },
    ],
  },
  {
    name: 'the generated Rails Dockerfile (a comment line inside the continuation) already has -j 1; without it, fixed',
    input: lines(
      'FROM ruby AS a',
      'RUN bundle install && \\',
      '    # -j 1 disable parallel compilation to avoid a QEMU bug: https://github.com/rails/bootsnap/issues/495',
      '    bundle exec bootsnap precompile -j 1 --gemfile',
      'FROM ruby AS b',
      'RUN bundle install && \\',
      '    # precompile the gems',
      '    bundle exec bootsnap precompile --gemfile',
    ),
    output: lines(
      'FROM ruby AS a',
      'RUN bundle install && \\',
      '    # -j 1 disable parallel compilation to avoid a QEMU bug: https://github.com/rails/bootsnap/issues/495',
      '    bundle exec bootsnap precompile -j 1 --gemfile',
      'FROM ruby AS b',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G} bundle install && \\`,
      '    # precompile the gems',
      `    bundle exec bootsnap precompile ${F} --gemfile`,
    ),
    findings: [{ line: 6, fixed: true }],
  },
  {
    name: 'bootsnap called directly, through a binstub path, and with global options first',
    input: lines(
      'FROM ruby',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      'RUN bootsnap --cache-dir /tmp/c precompile app && ./bin/bootsnap -v precompile lib',
    ),
    output: lines(
      'FROM ruby',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      `RUN ${G} bootsnap --cache-dir /tmp/c precompile ${F} app && ./bin/bootsnap -v precompile ${F} lib`,
    ),
    findings: [{ line: 4, fixed: true }],
  },
  {
    name: 'leave alone: a worker count already given, another subcommand, a $BUILDPLATFORM stage and its children',
    input: lines(
      'FROM ruby AS a',
      'RUN bundle exec bootsnap precompile -j 1 --gemfile && bootsnap precompile -j0 app',
      'RUN bootsnap precompile --jobs 4 app && bootsnap precompile --jobs=2 lib && bootsnap --jobs 1 precompile x',
      'RUN bootsnap --help && echo bootsnap precompile && bundle exec rake assets:precompile',
      'FROM --platform=$BUILDPLATFORM ruby AS b',
      'RUN bundle exec bootsnap precompile --gemfile',
      'FROM b AS c',
      'RUN bundle exec bootsnap precompile app/',
    ),
    findings: [],
  },
  {
    name: 'a stage pinned to a fixed platform compares that platform with the build machine',
    input: lines('FROM --platform=linux/arm64 ruby', 'RUN bundle exec bootsnap precompile --gemfile'),
    output: lines(
      'FROM --platform=linux/arm64 ruby',
      'ARG BUILDARCH',
      `RUN ${G_ARM64} bundle exec bootsnap precompile ${F} --gemfile`,
    ),
    findings: [{ line: 2, fixed: true, message: 'adds 1 line' }],
  },
  {
    name: 'a heredoc script gets the guard after its shebang',
    input: lines('FROM ruby', 'RUN <<EOF', '#!/bin/bash', 'set -e', 'bundle exec bootsnap precompile --gemfile', 'EOF'),
    output: lines(
      'FROM ruby',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      'RUN <<EOF',
      '#!/bin/bash',
      G,
      'set -e',
      `bundle exec bootsnap precompile ${F} --gemfile`,
      'EOF',
    ),
    findings: [{ line: 2, fixed: true, message: 'adds 3 lines' }],
  },
  {
    name: 'a heredoc with a POSIX shebang runs as a file, not through SHELL: guarded under a non-POSIX SHELL',
    input: lines(
      'FROM ruby',
      'SHELL ["pwsh", "-Command"]',
      'RUN <<EOF',
      '#!/usr/bin/env sh',
      'bundle exec bootsnap precompile --gemfile',
      'EOF',
    ),
    output: lines(
      'FROM ruby',
      'SHELL ["pwsh", "-Command"]',
      'ARG BUILDARCH',
      'ARG TARGETARCH',
      'RUN <<EOF',
      '#!/usr/bin/env sh',
      G,
      `bundle exec bootsnap precompile ${F} --gemfile`,
      'EOF',
    ),
    findings: [{ line: 3, fixed: true, message: 'adds 3 lines' }],
  },
  {
    name: 'exec form, ONBUILD, a non-POSIX SHELL and a foreign heredoc are reported only',
    input: lines(
      'FROM ruby',
      'RUN ["bundle", "exec", "bootsnap", "precompile", "--gemfile"]',
      'ONBUILD RUN bundle exec bootsnap precompile app/',
      'RUN <<EOF',
      '#!/usr/bin/env ruby',
      'system("bootsnap precompile app")',
      'bootsnap precompile app',
      'EOF',
      'SHELL ["pwsh", "-Command"]',
      'RUN bootsnap precompile app',
    ),
    findings: [
      { line: 2, fixed: false, message: 'exec form' },
      { line: 3, fixed: false, message: 'ONBUILD' },
      { line: 4, fixed: false, message: 'not a shell script' },
      { line: 10, fixed: false, message: 'not a POSIX shell' },
    ],
  },
  {
    name: 'CRLF, continuation lines split inside the call',
    input: 'FROM ruby\r\nRUN bundle exec \\\r\n    bootsnap precompile \\\r\n    --gemfile\r\n',
    output: `FROM ruby\r\nARG BUILDARCH\r\nARG TARGETARCH\r\nRUN ${G} bundle exec \\\r\n    bootsnap precompile ${F} \\\r\n    --gemfile\r\n`,
    findings: [{ line: 2, fixed: true }],
  },
]);

/** A stand-in bootsnap that prints the worker count it was given. */
const FAKE = `#!/bin/sh
jobs=parallel
while [ $# -gt 0 ]; do case $1 in -j) jobs=$2; shift ;; esac; shift; done
echo "jobs=$jobs"
`;
const dir = mkdtempSync(join(tmpdir(), 'dfrewrite-bootsnap-'));
writeFileSync(join(dir, 'bootsnap'), FAKE);
chmodSync(join(dir, 'bootsnap'), 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the bootsnap guard, run by a real shell', () => {
  const { output } = rewrite('FROM ruby\nRUN bootsnap precompile --gemfile\n');
  const command = buildModel(output).runs[0]!.commandText;
  const table: [string, string, string | undefined, string][] = [
    ['native amd64', 'amd64', 'amd64', 'jobs=parallel'],
    ['arm64 emulated on amd64', 'amd64', 'arm64', 'jobs=1'],
    ['386 runs natively on amd64', 'amd64', '386', 'jobs=parallel'],
    ['no BuildKit platform args', '', undefined, 'jobs=parallel'],
  ];
  for (const shell of [
    ['sh', '-c'],
    ['bash', '-euo', 'pipefail', '-c'],
  ]) {
    for (const [name, build, target, expected] of table) {
      it(`${shell.join(' ')}: ${name}`, () => {
        const env: Record<string, string> = { PATH: `${dir}:/usr/bin:/bin` };
        if (build) env.BUILDARCH = build;
        if (target) env.TARGETARCH = target;
        expect(execFileSync(shell[0]!, [...shell.slice(1), command], { env, encoding: 'utf8' }).trim()).toBe(expected);
      });
    }
  }
});
