// Zero-edit use: `--build-arg BUILDKIT_SYNTAX=<dfrewrite>` on any Dockerfile. A `# syntax=` line in
// the file (which BUILDKIT_SYNTAX overrides) then names the upstream, unless an option does.
import { describe, expect, test } from 'vitest';
import { detectSyntax } from '../../src/frontend/syntax.js';
import { decodeDefinition, fakeDaemonPerTest, optionEnv, runInProcess } from './fake-daemon.js';

describe('detectSyntax, as the Dockerfile frontend’s parser.DetectSyntax', () => {
  const detect = (text: string) => detectSyntax(Buffer.from(text));
  test.each([
    ['# syntax=docker/dockerfile:1\nFROM a\n', 'docker/dockerfile:1', 'docker/dockerfile:1'],
    ['#Syntax = docker/dockerfile:1.10 --x=y  \r\nFROM a\n', 'docker/dockerfile:1.10', 'docker/dockerfile:1.10 --x=y'],
    ['\ufeff#!/usr/bin/env buildctl\n# escape=`\n# syntax=img\nFROM a\n', 'img', 'img'],
    ['// syntax=img\nFROM a\n', 'img', 'img'],
    ['{"syntax": "img", "other": 1}', 'img', 'img'],
    // Go's `.` matches CR and U+2028 inside the value; JS's does not.
    ['# syntax=img\rx --a\u2028b\r\nFROM a\n', 'img\rx', 'img\rx --a\u2028b'],
    ['#syntax=a\n#syntax=b\n', 'a', 'a'],
  ])('%j', (text, ref, cmdline) => {
    expect(detect(text)).toEqual({ ref, cmdline });
  });

  test.each([
    'FROM a\n# syntax=img\n',
    '# a comment\n# syntax=img\n',
    '# unknown=1\n# syntax=img\n',
    '# escape=`\n# escape=\\\n# syntax=img\n',
    ' # syntax=img\nFROM a\n',
    '#!shebang\n\ufeff# syntax=img\n',
    '',
  ])('none in %j', (text) => {
    expect(detect(text)).toBeUndefined();
  });
});

const APT = 'RUN --mount=type=cache,target=/var/cache/apt apt-get update\n';
const { start } = fakeDaemonPerTest();

/** As the Dockerfile frontend forwards to BUILDKIT_SYNTAX (builder/build.go forwardGateway). */
const viaBuildArg = {
  'build-arg:BUILDKIT_SYNTAX': 'example/dfrewrite',
  cmdline: 'example/dfrewrite',
  source: 'example/dfrewrite',
};

async function run(dockerfile: string, options: Record<string, string>) {
  const daemon = await start({ trees: { 'local://dockerfile': { Dockerfile: dockerfile } } });
  const outcome = await runInProcess(daemon, optionEnv(options));
  expect(outcome.exitCode).toBe(0);
  const [request] = daemon.record.upstream;
  const handed = request.FrontendInputs?.dockerfile ? decodeDefinition(request.FrontendInputs.dockerfile) : undefined;
  const name = handed ? handed.metadata[handed.ops[1].inputs[0].digest].description['llb.customname'] : undefined;
  const file = handed ? Buffer.from(handed.ops[0].file.actions.at(-1).mkfile.data).toString() : undefined;
  return { request, name, file, log: outcome.log };
}

describe('which frontend builds', () => {
  test('BUILDKIT_SYNTAX on a file without a syntax line: the built-in frontend builds the rewritten file', async () => {
    const { request, file } = await run(`FROM debian:12\n${APT}`, viaBuildArg);
    expect(request.Frontend).toBe('dockerfile.v0');
    expect(request.FrontendOpt.cmdline).toBe('dockerfile.v0');
    expect(file).toMatch(/sharing=locked/);
  });

  test('BUILDKIT_SYNTAX on a file with its own syntax line: that frontend, with its arguments, builds the rewritten file', async () => {
    const { request, file, name } = await run(
      `# syntax=docker/dockerfile:1.10 --flag\nFROM debian:12\n${APT}`,
      viaBuildArg,
    );
    expect(request.Frontend).toBe('gateway.v0');
    expect(request.FrontendOpt.source).toBe('docker/dockerfile:1.10');
    // the upstream only follows a syntax line without `cmdline`: it will not run itself again
    expect(request.FrontendOpt.cmdline).toBe('docker/dockerfile:1.10 --flag');
    expect(file).toMatch(/sharing=locked/);
    expect(name).toMatch(/; upstream docker\/dockerfile:1\.10 from the syntax line$/);
  });

  test.each([
    [
      '--upstream on the BUILDKIT_SYNTAX value',
      { ...viaBuildArg, cmdline: 'example/dfrewrite --upstream=docker/dockerfile:1.12' },
    ],
    ['DFREWRITE_UPSTREAM', { ...viaBuildArg, 'build-arg:DFREWRITE_UPSTREAM': 'docker/dockerfile:1.12' }],
  ])('%s beats the file’s syntax line', async (_, options) => {
    const { request } = await run(`# syntax=docker/dockerfile:1.10\nFROM debian:12\n${APT}`, options);
    expect(request.FrontendOpt.source).toBe('docker/dockerfile:1.12');
    expect(request.FrontendOpt.cmdline).toBe('docker/dockerfile:1.12');
  });

  test('a syntax line naming dfrewrite itself is not followed again', async () => {
    const { request } = await run(`# syntax=example/dfrewrite\nFROM debian:12\n${APT}`, viaBuildArg);
    expect(request.Frontend).toBe('dockerfile.v0');
  });

  test('started by the file’s syntax line (no BUILDKIT_SYNTAX): the built-in frontend, as before', async () => {
    const { request } = await run(`# syntax=example/dfrewrite\nFROM debian:12\n${APT}`, {
      cmdline: 'example/dfrewrite',
      source: 'example/dfrewrite',
    });
    expect(request.Frontend).toBe('dockerfile.v0');
  });

  test('a subrequest under BUILDKIT_SYNTAX goes to the syntax line’s frontend, on the user’s file', async () => {
    const { request } = await run(`# syntax=docker/dockerfile:1.10\nFROM debian:12\n${APT}`, {
      ...viaBuildArg,
      requestid: 'frontend.outline',
    });
    expect(request.Frontend).toBe('gateway.v0');
    expect(request.FrontendOpt.source).toBe('docker/dockerfile:1.10');
    expect(request.FrontendOpt.requestid).toBe('frontend.outline');
    expect(request.FrontendInputs).toBeUndefined();
  });
});
