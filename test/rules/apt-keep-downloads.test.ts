import { describe, expect, it } from 'vitest';
import { rewrite } from '../../src/core/rewrite.js';
import { lines, ruleTable } from '../helpers/rule-table.js';

const RM = 'rm -f /etc/apt/apt.conf.d/docker-clean;';
const KEEP = `echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache;`;
const MOUNTS =
  'RUN --mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked';

/** Suggested fixes are reported, never applied by default: every row keeps its input. */
ruleTable('apt-keep-downloads', [
  {
    name: "Debian and Ubuntu images: reported once per stage, at the first RUN that mounts apt's cache",
    input: lines(
      'FROM debian:12 AS a',
      `${MOUNTS} apt-get update && apt-get install -y gcc`,
      `${MOUNTS} apt-get install -y make`,
      'FROM ubuntu:24.04 AS b',
      'RUN --mount=type=cache,target=/var/cache/apt/archives apt install -y curl',
      'FROM a AS c',
      `${MOUNTS} apt-get install -y vim`,
    ),
    findings: [
      {
        line: 2,
        fixed: false,
        message:
          "cache mount /var/cache/apt stays empty: the base image's /etc/apt/apt.conf.d/docker-clean deletes downloaded packages after every install: suggested fix",
      },
      { line: 5, fixed: false, message: 'and keep the downloads of `apt`' },
    ],
  },
  {
    name: 'leave alone: docker-clean removed or Keep-Downloaded-Packages set earlier, in this stage or a parent, or in the RUN',
    input: lines(
      'FROM debian:12 AS base',
      `RUN ${RM} ${KEEP}`,
      'FROM base AS a',
      `${MOUNTS} apt-get install -y gcc`,
      'FROM ubuntu AS b',
      "RUN sed -i '/Post-Invoke/d' /etc/apt/apt.conf.d/docker-clean",
      `${MOUNTS} apt-get install -y gcc`,
      'FROM ubuntu AS c',
      `${MOUNTS} apt-get -o APT::Keep-Downloaded-Packages=true install -y gcc`,
      'FROM ubuntu AS d',
      'COPY 99keep /etc/apt/apt.conf.d/',
      `${MOUNTS} apt-get install -y gcc`,
    ),
    findings: [],
  },
  {
    name: 'leave alone: base images that are clearly not Debian or Ubuntu, no cache of the archives, nothing downloaded into it',
    input: lines(
      'FROM alpine:3.20',
      'RUN --mount=type=cache,target=/var/cache/apt apt-get install x',
      'FROM python:3.12-alpine3.20',
      'RUN --mount=type=cache,target=/var/cache/apt apt-get install x',
      'FROM fedora:40 AS f',
      'FROM f',
      'RUN --mount=type=cache,target=/var/cache/apt apt-get install x',
      'FROM registry.access.redhat.com/ubi9/ubi-minimal',
      'RUN --mount=type=cache,target=/var/cache/apt apt-get install x',
      'FROM gcr.io/distroless/base-debian12',
      'RUN --mount=type=cache,target=/var/cache/apt apt-get install x',
      'FROM debian',
      'RUN --mount=type=cache,target=/var/lib/apt apt-get update',
      'RUN --mount=type=tmpfs,target=/var/cache/apt apt-get install x',
      'RUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get download x && uv sync',
      'FROM scratch',
      'RUN --mount=type=cache,target=/var/cache/apt apt-get install x',
    ),
    findings: [],
  },
  {
    name: 'a variable base image may be Debian: reported',
    input: lines('ARG BASE=debian', 'FROM ${BASE}', 'RUN --mount=type=cache,target=/var/cache apt-get install x'),
    findings: [{ line: 3, fixed: false, message: 'cache mount /var/cache stays empty' }],
  },
  {
    name: 'exec form, a non-POSIX SHELL, a foreign heredoc: reported without a fix',
    input: lines(
      'FROM debian AS a',
      'RUN --mount=type=cache,target=/var/cache/apt ["apt-get", "install", "-y", "x"]',
      'FROM debian AS b',
      'SHELL ["pwsh", "-Command"]',
      'RUN --mount=type=cache,target=/var/cache/apt apt-get install x',
      'FROM debian AS c',
      'RUN --mount=type=cache,target=/var/cache/apt <<EOF',
      '#!/usr/bin/fish',
      'apt-get install -y x',
      'EOF',
    ),
    findings: [
      { line: 2, fixed: false, message: 'not changed: exec form' },
      { line: 5, fixed: false, message: 'not a POSIX shell' },
      { line: 7, fixed: false, message: 'not a shell script' },
    ],
  },
]);

describe('apt-keep-downloads, applied on request (applySuggested)', () => {
  const apply = (input: string): string => {
    const result = rewrite(input, { rules: { enable: ['apt-keep-downloads'] }, applySuggested: true });
    const again = rewrite(result.output, { rules: { enable: ['apt-keep-downloads'] }, applySuggested: true });
    expect(again.output).toBe(result.output);
    expect(again.findings).toEqual([]);
    return result.output;
  };
  it("prefixes the RUN's command, after its mounts, on a continuation line too", () => {
    expect(apply(lines('FROM debian', `${MOUNTS} \\`, '    apt-get update && apt-get install -y gcc'))).toBe(
      lines('FROM debian', `${MOUNTS} \\`, `    ${RM} apt-get update && apt-get install -y gcc`),
    );
  });
  it("keeps apt's downloads too when the RUN runs `apt`", () => {
    expect(apply(lines('FROM ubuntu', 'RUN --mount=type=cache,target=/var/cache/apt apt install -y gcc'))).toBe(
      lines('FROM ubuntu', `RUN --mount=type=cache,target=/var/cache/apt ${RM} ${KEEP} apt install -y gcc`),
    );
  });
  it('a heredoc script gets a first line; CRLF; ONBUILD', () => {
    expect(
      apply(
        lines(
          'FROM debian',
          'RUN --mount=type=cache,target=/var/cache/apt <<EOF',
          '#!/bin/sh',
          'apt-get install -y gcc',
          'EOF',
        ),
      ),
    ).toBe(
      lines(
        'FROM debian',
        'RUN --mount=type=cache,target=/var/cache/apt <<EOF',
        '#!/bin/sh',
        RM.slice(0, -1),
        'apt-get install -y gcc',
        'EOF',
      ),
    );
    expect(apply('FROM debian\r\nRUN --mount=type=cache,target=/var/cache/apt \\\r\n  apt-get install -y x\r\n')).toBe(
      `FROM debian\r\nRUN --mount=type=cache,target=/var/cache/apt \\\r\n  ${RM} apt-get install -y x\r\n`,
    );
    expect(
      apply(lines('FROM debian', 'ONBUILD RUN --mount=type=cache,target=/var/cache/apt apt-get install -y x')),
    ).toBe(lines('FROM debian', `ONBUILD RUN --mount=type=cache,target=/var/cache/apt ${RM} apt-get install -y x`));
  });
});
