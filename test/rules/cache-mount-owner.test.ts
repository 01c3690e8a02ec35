import { describe, expect, it } from 'vitest';
import { rewrite } from '../../src/core/rewrite.js';
import { lines, ruleTable } from '../helpers/rule-table.js';

ruleTable('cache-mount-owner', [
  {
    name: 'USER 1000 writing into a cache mount gets uid=1000 on the mount',
    input: lines(
      'FROM python:3.12',
      'USER 1000',
      'RUN --mount=type=cache,target=/home/app/.cache/pip pip install --user -r requirements.txt',
    ),
    output: lines(
      'FROM python:3.12',
      'USER 1000',
      'RUN --mount=type=cache,target=/home/app/.cache/pip,uid=1000 pip install --user -r requirements.txt',
    ),
    findings: [{ line: 3, fixed: true, message: 'USER 1000 cannot write into it (Permission denied): added uid=1000' }],
  },
  {
    name: 'USER uid:gid gives both; a group name leaves the gid alone; one edit per mount',
    input: lines(
      'FROM node',
      'USER 1000:1000',
      'RUN --mount=type=cache,target=/home/node/.npm --mount=type=bind,target=/src npm ci',
      'USER 1001:staff',
      'RUN --mount=type=cache,target=/tmp/cache,sharing=locked make',
    ),
    output: lines(
      'FROM node',
      'USER 1000:1000',
      'RUN --mount=type=cache,target=/home/node/.npm,uid=1000,gid=1000 --mount=type=bind,target=/src npm ci',
      'USER 1001:staff',
      'RUN --mount=type=cache,target=/tmp/cache,sharing=locked,uid=1001 make',
    ),
    findings: [
      { line: 3, fixed: true, message: 'added uid=1000,gid=1000' },
      { line: 5, fixed: true, message: 'group staff is a name' },
    ],
  },
  {
    name: 'USER is inherited through FROM <stage>; a later USER root switches it off',
    input: lines(
      'FROM debian AS base',
      'USER 1000',
      'FROM base AS build',
      'RUN --mount=type=cache,target=/cache make',
      'USER root',
      'RUN --mount=type=cache,target=/cache make',
      'USER 0:0',
      'RUN --mount=type=cache,target=/cache make',
    ),
    output: lines(
      'FROM debian AS base',
      'USER 1000',
      'FROM base AS build',
      'RUN --mount=type=cache,target=/cache,uid=1000 make',
      'USER root',
      'RUN --mount=type=cache,target=/cache make',
      'USER 0:0',
      'RUN --mount=type=cache,target=/cache make',
    ),
    findings: [{ line: 4, fixed: true }],
  },
  {
    name: 'a user name is reported only: the Dockerfile does not say its uid',
    input: lines('FROM node', 'USER node', 'RUN --mount=type=cache,target=/home/node/.npm npm ci'),
    findings: [{ line: 3, fixed: false, message: 'does not say which uid node has' }],
  },
  {
    name: 'a user from an ARG without a default is reported only',
    input: lines('FROM node', 'ARG UID', 'USER ${UID}', 'RUN --mount=type=cache,target=/cache npm ci'),
    findings: [{ line: 4, fixed: false, message: 'set by a variable' }],
  },
  {
    name: "a user from an ARG's default (in the stage, or global brought in by a bare ARG): a suggested fix",
    input: lines(
      'ARG APP_UID=1001',
      'FROM node',
      'ARG UID=1000',
      'USER ${UID}',
      'RUN --mount=type=cache,target=/cache npm ci',
      'ARG APP_UID',
      'USER $APP_UID:$APP_UID',
      'RUN --mount=type=cache,target=/cache2 npm ci',
    ),
    findings: [
      { line: 5, fixed: false, message: 'USER ${UID} (1000) cannot write into it' },
      {
        line: 8,
        fixed: false,
        message: 'add uid=1001,gid=1001 (suggested fix: the default of ARG APP_UID, which --build-arg may change)',
      },
    ],
  },
  {
    name: 'a user from ENV (inherited through FROM <stage>) is fixed: a --build-arg cannot change it',
    input: lines(
      'FROM node AS base',
      'ENV APP_UID=1000',
      'USER $APP_UID',
      'FROM base',
      'ARG APP_UID=5',
      'RUN --mount=type=cache,target=/cache npm ci',
    ),
    output: lines(
      'FROM node AS base',
      'ENV APP_UID=1000',
      'USER $APP_UID',
      'FROM base',
      'ARG APP_UID=5',
      'RUN --mount=type=cache,target=/cache,uid=1000 npm ci',
    ),
    findings: [{ line: 6, fixed: true, message: 'USER $APP_UID (1000) cannot write' }],
  },
  {
    name: 'a cache under /root used by a non-root user is reported, not changed (also when written with a variable)',
    input: lines(
      'FROM python',
      'ENV UV_CACHE=/root/.cache/uv',
      'USER 1000',
      'RUN --mount=type=cache,target=/root/.cache/uv uv sync',
      'RUN --mount=type=cache,target=$UV_CACHE uv sync',
    ),
    findings: [
      { line: 4, fixed: false, message: 'is under /root, which USER 1000 cannot enter' },
      { line: 5, fixed: false, message: 'under /root' },
    ],
  },
  {
    name: 'left alone: no USER, root, an existing uid= or gid=, a mode others can write, read-only caches, other mount types',
    input: lines(
      'FROM debian',
      'RUN --mount=type=cache,target=/cache make',
      'USER 1000',
      'RUN --mount=type=cache,target=/a,uid=1000 --mount=type=cache,target=/b,gid=100 --mount=type=cache,target=/c,mode=0777 make',
      'RUN --mount=type=bind,target=/src --mount=type=tmpfs,target=/tmp --mount=type=secret,id=token make',
      'RUN --mount=type=cache,target=/d,ro --mount=type=cache,target=/e,readonly=true ls /d /e',
    ),
    findings: [],
  },
  {
    name: 'a --mount split by a continuation, CRLF, a quoted flag value',
    input:
      'FROM debian\r\nUSER 1000\r\nRUN --mount=type=cache,\\\r\ntarget=/cache \\\r\n    --mount="type=cache,target=/c2" make\r\n',
    output:
      'FROM debian\r\nUSER 1000\r\nRUN --mount=type=cache,\\\r\ntarget=/cache,uid=1000 \\\r\n    --mount="type=cache,target=/c2,uid=1000" make\r\n',
    findings: [
      { line: 3, fixed: true },
      { line: 5, fixed: true },
    ],
  },
  {
    name: 'a heredoc RUN',
    input: lines('FROM debian', 'USER 1000', 'RUN --mount=type=cache,target=/cache <<EOF', 'touch /cache/x', 'EOF'),
    output: lines(
      'FROM debian',
      'USER 1000',
      'RUN --mount=type=cache,target=/cache,uid=1000 <<EOF',
      'touch /cache/x',
      'EOF',
    ),
    findings: [{ line: 3, fixed: true }],
  },
  {
    name: "ONBUILD runs as the image's final USER",
    input: lines('FROM debian', 'ONBUILD RUN --mount=type=cache,target=/cache make', 'USER 1000'),
    output: lines('FROM debian', 'ONBUILD RUN --mount=type=cache,target=/cache,uid=1000 make', 'USER 1000'),
    findings: [{ line: 2, fixed: true, message: "this image's user, which the trigger runs as" }],
  },
]);

describe('cache-mount-owner with cache-mount-sharing', () => {
  it('both options land on the same mount (one rule per pass at that point), and a second run changes nothing', () => {
    const input = lines('FROM debian', 'USER 1000:1000', 'RUN --mount=type=cache,target=/var/cache/apt apt-get update');
    const result = rewrite(input);
    expect(result.output).toBe(
      lines(
        'FROM debian',
        'USER 1000:1000',
        'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked,uid=1000,gid=1000 apt-get update',
      ),
    );
    expect(result.findings.map((f) => [f.ruleId, f.fixed])).toEqual([
      ['cache-mount-sharing', true],
      ['cache-mount-owner', true],
    ]);
    expect(rewrite(result.output).output).toBe(result.output);
  });

  it("a user from an ARG's default: the suggested fix gives the mount that uid, the same way again", () => {
    const input = lines(
      'ARG APP_UID=1001',
      'FROM node',
      'ARG APP_UID',
      'USER $APP_UID',
      'RUN --mount=type=cache,target=/cache npm ci',
    );
    const options = { rules: { enable: ['cache-mount-owner'] }, applySuggested: true };
    const result = rewrite(input, options);
    expect(result.output).toBe(input.replace('target=/cache', 'target=/cache,uid=1001'));
    expect(result.findings.map((f) => [f.fixed, f.fix?.level])).toEqual([[true, 'suggested']]);
    expect(rewrite(result.output, options).output).toBe(result.output);
  });
});
