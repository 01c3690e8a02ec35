import { describe, expect, it } from 'vitest';
import { rewrite } from '../../src/core/rewrite.js';
import { lines, ruleTable } from '../helpers/rule-table.js';

const APT =
  'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked';

ruleTable('cache-mount-cleanup', [
  {
    name: 'the openrewrite#8621 shape: a trailing rm of the lists goes with its &&',
    input: lines(
      'FROM debian:12',
      'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\',
      '    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\',
      '    apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
    ),
    output: lines(
      'FROM debian:12',
      'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\',
      '    --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \\',
      '    apt-get update && apt-get install -y curl',
    ),
    findings: [{ line: 4, fixed: true, message: 'empties the cache mount /var/lib/apt/lists' }],
  },
  {
    name: 'in the middle, and apt-get clean, each on a continuation line of its own',
    input: lines(
      'FROM ubuntu:24.04',
      `${APT} \\`,
      '    apt-get update && \\',
      '    rm -rf /var/lib/apt/lists/* && \\',
      '    apt-get install -y --no-install-recommends gcc && \\',
      '    apt-get clean',
    ),
    output: lines(
      'FROM ubuntu:24.04',
      `${APT} \\`,
      '    apt-get update && \\',
      '    apt-get install -y --no-install-recommends gcc',
    ),
    findings: [
      { line: 4, fixed: true, message: '`rm -rf /var/lib/apt/lists/*` empties the cache mount /var/lib/apt' },
      { line: 6, fixed: true, message: '`apt-get clean` empties the cache mount /var/cache/apt' },
    ],
  },
  {
    name: 'comment lines inside the continuation stay with the command they describe',
    input: lines(
      'FROM debian',
      'RUN --mount=type=cache,target=/var/lib/apt \\',
      '    apt-get update && \\',
      '    rm -rf /var/lib/apt/lists/* && \\',
      '    # install the compiler',
      '    apt-get install -y gcc && \\',
      '    # no need to keep the lists',
      '    rm -rf /var/lib/apt/lists/*',
    ),
    output: lines(
      'FROM debian',
      'RUN --mount=type=cache,target=/var/lib/apt \\',
      '    apt-get update && \\',
      '    # install the compiler',
      '    apt-get install -y gcc',
    ),
    findings: [
      { line: 4, fixed: true },
      { line: 8, fixed: true },
    ],
  },
  {
    name: 'removing the mount point itself fails (Device or resource busy): removed',
    input: lines(
      'FROM rust',
      'RUN --mount=type=cache,target=/usr/local/cargo/registry cargo build && rm -rf /usr/local/cargo/registry',
    ),
    output: lines('FROM rust', 'RUN --mount=type=cache,target=/usr/local/cargo/registry cargo build'),
    findings: [{ line: 2, fixed: true, message: 'Device or resource busy' }],
  },
  {
    name: "pip --no-cache-dir with pip's cache mounted: the option goes",
    input: lines(
      'FROM python:3.12',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir -r requirements.txt',
      'RUN --mount=type=cache,target=/root/.cache pip3 install \\',
      '    --no-cache-dir \\',
      '    flask && python -m pip install --no-cache-dir gunicorn',
    ),
    output: lines(
      'FROM python:3.12',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt',
      'RUN --mount=type=cache,target=/root/.cache pip3 install \\',
      '    flask && python -m pip install gunicorn',
    ),
    findings: [
      {
        line: 2,
        fixed: true,
        message: '--no-cache-dir keeps pip from using its cache, the cache mount /root/.cache/pip: removed the option',
      },
      { line: 4, fixed: true },
      { line: 5, fixed: true },
    ],
  },
  {
    name: 'PIP_CACHE_DIR and UV_CACHE_DIR move the caches; uv --no-cache goes',
    input: lines(
      'FROM python:3.12',
      'ENV PIP_CACHE_DIR=/cache/pip UV_CACHE_DIR=/cache/uv',
      'RUN --mount=type=cache,target=/cache/pip pip install --no-cache-dir x',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir x',
      'RUN --mount=type=cache,target=/cache/uv uv sync --no-cache --frozen && uv pip install -n y',
      'RUN --mount=type=cache,target=/root/.cache/uv uv sync --no-cache',
    ),
    output: lines(
      'FROM python:3.12',
      'ENV PIP_CACHE_DIR=/cache/pip UV_CACHE_DIR=/cache/uv',
      'RUN --mount=type=cache,target=/cache/pip pip install x',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir x',
      'RUN --mount=type=cache,target=/cache/uv uv sync --frozen && uv pip install y',
      'RUN --mount=type=cache,target=/root/.cache/uv uv sync --no-cache',
    ),
    findings: [
      { line: 3, fixed: true },
      { line: 5, fixed: true, message: 'uv from using its cache, the cache mount /cache/uv' },
      { line: 5, fixed: true },
    ],
  },
  {
    name: "the options of the program uv runs are not uv's",
    input: lines(
      'FROM python',
      'RUN --mount=type=cache,target=/root/.cache/uv uvx ruff --no-cache check && uv run --with x pytest -n 4 && uv tool run black --no-cache .',
    ),
    findings: [],
  },
  {
    name: "a non-root USER moves pip's cache away from /root; USER root brings it back",
    input: lines(
      'FROM python',
      'USER app',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir x',
      'USER root',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir x',
    ),
    output: lines(
      'FROM python',
      'USER app',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir x',
      'USER root',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install x',
    ),
    findings: [{ line: 5, fixed: true }],
  },
  {
    name: "USER 00 and USER 0:0 are root, as cache-mount-owner reads them; a parent stage's USER counts",
    input: lines(
      'FROM python AS base',
      'USER 00',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir x',
      'FROM base',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir y',
      'USER 1000:0',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir z',
      'USER 0:0',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir w',
    ),
    output: lines(
      'FROM python AS base',
      'USER 00',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install x',
      'FROM base',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install y',
      'USER 1000:0',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install --no-cache-dir z',
      'USER 0:0',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install w',
    ),
    findings: [
      { line: 3, fixed: true },
      { line: 5, fixed: true },
      { line: 9, fixed: true },
    ],
  },
  {
    name: 'PIP_NO_CACHE_DIR and UV_NO_CACHE: on the command or by ENV, reported only',
    input: lines(
      'FROM python',
      'RUN --mount=type=cache,target=/root/.cache/pip PIP_NO_CACHE_DIR=1 pip install x',
      'ENV UV_NO_CACHE=1',
      'RUN --mount=type=cache,target=/root/.cache/uv uv sync && uv pip install x',
      'ENV PIP_NO_CACHE_DIR=off',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install x',
      'RUN --mount=type=cache,target=/root/.cache/uv uv sync --no-cache',
    ),
    findings: [
      {
        line: 2,
        fixed: false,
        message:
          'PIP_NO_CACHE_DIR=1 keeps pip from using its cache, the cache mount /root/.cache/pip; not changed: set on the command',
      },
      { line: 4, fixed: false, message: 'not changed: ENV applies to other RUNs' },
      { line: 7, fixed: false, message: 'ENV UV_NO_CACHE=1' },
      {
        line: 7,
        fixed: false,
        message:
          '--no-cache keeps uv from using its cache, the cache mount /root/.cache/uv; not changed: UV_NO_CACHE turns the cache off here too',
      },
    ],
  },
  {
    name: 'not clearly safe: pipeline, ||, if, subshell, background, other paths, odd options — reported only',
    input: lines(
      'FROM debian',
      `${APT} apt-get update && rm -rf /var/lib/apt/lists/* | tee log`,
      `${APT} apt-get update && rm -rf /var/lib/apt/lists/* || true`,
      `${APT} apt-get update && if true; then rm -rf /var/lib/apt/lists/*; fi`,
      `${APT} apt-get update && (rm -rf /var/lib/apt/lists/*) && b`,
      `${APT} apt-get update; rm -rf /var/lib/apt/lists/* & b`,
      `${APT} apt-get update && rm -rf /var/lib/apt/lists/* /tmp/*`,
      `${APT} apt-get update && rm -rf /var/lib && b`,
      `${APT} apt-get update && rm -ri /var/lib/apt/lists/x && b`,
      `${APT} apt-get update && apt-get -o Dir::Cache=/x clean && b`,
      `${APT} apt-get update && apt-get clean -y install && b`,
    ),
    findings: [
      { line: 2, fixed: false, message: 'not changed: it is part of a pipeline' },
      { line: 3, fixed: false, message: 'not changed: it is in a list with ||' },
      { line: 4, fixed: false, message: 'not changed: it is inside a compound command or subshell' },
      { line: 5, fixed: false, message: 'compound command or subshell' },
      { line: 6, fixed: false, message: 'in the background' },
      { line: 7, fixed: false, message: 'it also removes /tmp/*, outside the cache' },
      { line: 8, fixed: false, message: 'removes /var/lib (holds the cache mount /var/lib/apt)' },
      { line: 9, fixed: false, message: 'rm is given -ri' },
      { line: 10, fixed: false, message: 'may point apt elsewhere' },
      { line: 11, fixed: false, message: 'apt is also given install' },
    ],
  },
  {
    name: 'a cleanup after ; at the end gives the RUN its exit status: kept unless errexit is on',
    input: lines(
      'FROM debian',
      'RUN --mount=type=cache,target=/var/lib/apt apt-get update; rm -rf /var/lib/apt/lists/*',
      'SHELL ["/bin/bash", "-eo", "pipefail", "-c"]',
      'RUN --mount=type=cache,target=/var/lib/apt apt-get update; rm -rf /var/lib/apt/lists/*',
      'SHELL ["pwsh", "-Command"]',
      'RUN --mount=type=cache,target=/var/lib/apt apt-get update && rm -rf /var/lib/apt/lists/*',
    ),
    output: lines(
      'FROM debian',
      'RUN --mount=type=cache,target=/var/lib/apt apt-get update; rm -rf /var/lib/apt/lists/*',
      'SHELL ["/bin/bash", "-eo", "pipefail", "-c"]',
      'RUN --mount=type=cache,target=/var/lib/apt apt-get update',
      'SHELL ["pwsh", "-Command"]',
      'RUN --mount=type=cache,target=/var/lib/apt apt-get update && rm -rf /var/lib/apt/lists/*',
    ),
    findings: [
      {
        line: 2,
        fixed: false,
        message: "not changed: it is the script's last command, whose exit status is the RUN's",
      },
      { line: 4, fixed: true },
      { line: 6, fixed: false, message: 'not a POSIX shell' },
    ],
  },
  {
    name: 'a heredoc with a shebang runs as a file: its shebang, not SHELL, says the shell and whether errexit is on',
    input: lines(
      'FROM debian',
      'SHELL ["pwsh", "-Command"]',
      'RUN --mount=type=cache,target=/var/lib/apt <<EOF',
      '#!/bin/sh',
      'apt-get update && rm -rf /var/lib/apt/lists/*',
      'EOF',
      'SHELL ["/bin/bash", "-eo", "pipefail", "-c"]',
      'RUN --mount=type=cache,target=/var/lib/apt <<EOF',
      '#!/bin/sh',
      'apt-get update; rm -rf /var/lib/apt/lists/*',
      'EOF',
      'RUN --mount=type=cache,target=/var/lib/apt <<EOF',
      '#!/bin/sh -e',
      'apt-get update; rm -rf /var/lib/apt/lists/*',
      'EOF',
    ),
    output: lines(
      'FROM debian',
      'SHELL ["pwsh", "-Command"]',
      'RUN --mount=type=cache,target=/var/lib/apt <<EOF',
      '#!/bin/sh',
      'apt-get update',
      'EOF',
      'SHELL ["/bin/bash", "-eo", "pipefail", "-c"]',
      'RUN --mount=type=cache,target=/var/lib/apt <<EOF',
      '#!/bin/sh',
      'apt-get update; rm -rf /var/lib/apt/lists/*',
      'EOF',
      'RUN --mount=type=cache,target=/var/lib/apt <<EOF',
      '#!/bin/sh -e',
      'apt-get update',
      'EOF',
    ),
    findings: [
      { line: 5, fixed: true },
      { line: 10, fixed: false, message: "it is the script's last command" },
      { line: 14, fixed: true },
    ],
  },
  {
    name: 'a RUN that is only the cleanup is reported (delete the RUN yourself)',
    input: lines('FROM debian', 'RUN --mount=type=cache,target=/var/lib/apt/lists rm -rf /var/lib/apt/lists/*'),
    findings: [{ line: 2, fixed: false, message: 'nothing to run' }],
  },
  {
    name: 'leave alone: no cache mount, another mount type, a cache elsewhere, a relative or variable path',
    input: lines(
      'FROM debian',
      'RUN apt-get update && rm -rf /var/lib/apt/lists/*',
      'RUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && rm -rf /var/lib/apt/lists/*',
      'RUN --mount=type=cache,target=/root/.cache/pip apt-get update && rm -rf /var/lib/apt/lists/* && apt-get clean',
      'RUN --mount=type=cache,target=/var/lib/apt apt-get update && rm -rf lists/* $X/lists',
      'RUN --mount=type=cache,target=/root/.cache/pip pip install x && echo --no-cache-dir',
      'RUN --mount=type=cache,target=/var/cache/apt apt-get install -y clean && apt-get -o Debug::X=clean update',
    ),
    findings: [],
  },
  {
    name: 'exec form is reported only',
    input: lines(
      'FROM python',
      'RUN --mount=type=cache,target=/root/.cache/pip ["pip", "install", "--no-cache-dir", "x"]',
    ),
    findings: [{ line: 2, fixed: false, message: 'exec form' }],
  },
  {
    name: 'a heredoc script: the cleanup line goes',
    input: lines(
      'FROM debian',
      `${APT} <<EOF`,
      'set -e',
      'apt-get update',
      'apt-get install -y curl',
      'apt-get clean',
      'rm -rf /var/lib/apt/lists/*',
      'EOF',
    ),
    output: lines('FROM debian', `${APT} <<EOF`, 'set -e', 'apt-get update', 'apt-get install -y curl', 'EOF'),
    findings: [
      { line: 6, fixed: true },
      { line: 7, fixed: true },
    ],
  },
  {
    name: 'CRLF and continuation lines',
    input:
      'FROM debian\r\nRUN --mount=type=cache,target=/var/lib/apt \\\r\n    apt-get update && \\\r\n    rm -rf /var/lib/apt/lists/* && \\\r\n    echo done\r\n',
    output:
      'FROM debian\r\nRUN --mount=type=cache,target=/var/lib/apt \\\r\n    apt-get update && \\\r\n    echo done\r\n',
    findings: [{ line: 4, fixed: true }],
  },
  {
    name: 'a backtick escape file',
    input:
      '# escape=`\nFROM debian\nRUN --mount=type=cache,target=/var/lib/apt apt-get update `\n    && rm -rf /var/lib/apt/lists/*\nRUN echo next\n',
    output: '# escape=`\nFROM debian\nRUN --mount=type=cache,target=/var/lib/apt apt-get update\nRUN echo next\n',
    findings: [{ line: 4, fixed: true }],
  },
  {
    name: 'ONBUILD: the mount and the cleanup are in the same trigger, so it is fixed too',
    input: lines(
      'FROM debian',
      'ONBUILD RUN --mount=type=cache,target=/var/lib/apt apt-get update && rm -rf /var/lib/apt/lists/*',
    ),
    output: lines('FROM debian', 'ONBUILD RUN --mount=type=cache,target=/var/lib/apt apt-get update'),
    findings: [{ line: 2, fixed: true }],
  },
]);

describe('cache-mount-cleanup with the other rules', () => {
  it("its removals, cache-mount-sharing's options and apt-keep-downloads' prefix land together and settle", () => {
    const input = lines(
      'FROM debian:12',
      'RUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt \\',
      '    apt-get clean && apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*',
    );
    const result = rewrite(input, { applySuggested: true });
    expect(result.output).toBe(
      lines(
        'FROM debian:12',
        'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked \\',
        '    rm -f /etc/apt/apt.conf.d/docker-clean; apt-get update && apt-get install -y gcc',
      ),
    );
    expect(result.findings.filter((f) => f.ruleId === 'cache-mount-cleanup').map((f) => f.fixed)).toEqual([true, true]);
    expect(rewrite(result.output, { applySuggested: true }).output).toBe(result.output);
  });
});
