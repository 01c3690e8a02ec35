// `--check` (the subrequest frontend.lint): dfrewrite's findings join the upstream's lint result.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  addToLintResult,
  marshalIndent,
  printLintResults,
  resultMetadata,
  withMetadata,
} from '../../src/frontend/check-result.js';
import { decode, encode, fakeDaemonPerTest, optionEnv, runInProcess, types } from './fake-daemon.js';

// Captured from Docker 28.5.2 (buildx 0.29.1): `docker buildx build --call=check,format=json .` and
// `--check` on lint.Dockerfile (buildx prints result.json as is, and lint.PrintTo's text).
const fixtures = join(import.meta.dirname, 'fixtures');
const capturedJson = readFileSync(join(fixtures, 'lint-result.json'), 'utf8').replace(/\n$/, '');
const capturedText = readFileSync(join(fixtures, 'lint-result.txt'), 'utf8');
const lintDockerfile = readFileSync(join(fixtures, 'lint.Dockerfile'));
const CLEAN = 'FROM debian:12\nRUN echo hello\n';
/** A metadata value as text. */
const text = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString() : undefined);

/** A lint Result as the Dockerfile frontend returns it (lint.ToResult), plus a field from the future. */
function upstreamLintResult(json: string, text: string, status: string): Buffer {
  const metadata = {
    'result.json': Buffer.from(json),
    'result.txt': Buffer.from(text),
    'result.statuscode': Buffer.from(status),
    version: Buffer.from('1.0.0'),
  };
  return Buffer.concat([encode(types.result, { metadata }), Buffer.from([0x98, 0x06, 0x01])]);
}

describe('BuildKit’s formats', () => {
  test('result.json: Go’s MarshalIndent, byte for byte', () => {
    expect(marshalIndent(JSON.parse(capturedJson))).toBe(capturedJson);
    expect(marshalIndent({ detail: 'a <b> & c\u2028' })).toBe('{\n  "detail": "a \\u003cb\\u003e \\u0026 c\\u2028"\n}');
  });

  test('result.txt: lint.PrintTo’s text, byte for byte', () => {
    expect(printLintResults(JSON.parse(capturedJson))).toBe(capturedText);
  });

  test('metadata is replaced in place; every other field of the Result stays as it was', () => {
    const result = upstreamLintResult('{}', 'txt', '0');
    expect(text(resultMetadata(result).get('result.statuscode'))).toBe('0');
    const changed = withMetadata(result, new Map([['result.statuscode', Buffer.from('1')]]));
    expect(text(decode(types.result, changed).metadata['result.statuscode'])).toBe('1');
    expect(Buffer.from(changed.subarray(-3))).toEqual(Buffer.from([0x98, 0x06, 0x01]));
    expect(Buffer.from(withMetadata(result, new Map()))).toEqual(result);
  });
});

const { start } = fakeDaemonPerTest();

async function check(dockerfile: Buffer | string, upstreamResult: Buffer, options: Record<string, string> = {}) {
  const daemon = await start({
    trees: { 'local://dockerfile': { Dockerfile: dockerfile } },
    upstream: () => ({ result: upstreamResult }),
  });
  const run = await runInProcess(
    daemon,
    optionEnv({ requestid: 'frontend.lint', cmdline: 'example/dfrewrite', ...options }),
  );
  expect(run.exitCode).toBe(0);
  return { ...run, record: daemon.record, returned: Buffer.from(daemon.record.returns[0].result) };
}

describe('--check through the frontend', () => {
  test('the upstream lints the user’s own file; our findings are added in its shape, and counted', async () => {
    const upstream = upstreamLintResult(capturedJson, capturedText, '1');
    const { record, returned } = await check(lintDockerfile, upstream);
    // forwarded as received: no rewritten file
    expect(record.upstream[0].FrontendOpt.requestid).toBe('frontend.lint');
    expect(record.upstream[0].FrontendInputs).toBeUndefined();

    const metadata = resultMetadata(returned);
    const results = JSON.parse(text(metadata.get('result.json'))!);
    const upstreamResults = JSON.parse(capturedJson);
    expect(results.warnings.slice(0, 2)).toEqual(upstreamResults.warnings);
    expect(results.sources).toEqual(upstreamResults.sources); // the same file: listed once
    const ours = results.warnings.slice(2);
    expect(ours).toContainEqual({
      ruleName: 'cache-mount-sharing',
      description: expect.stringMatching(/sharing=locked/),
      url: 'https://github.com/dfrewrite/dfrewrite/blob/main/docs/rules/cache-mount-sharing.md',
      detail: expect.stringMatching(/^cache mount \/var\/cache\/apt .*: set sharing=locked$/),
      // sourceIndex 0 is left out, as Go leaves out zero values
      location: { ranges: [{ start: { line: 2, character: 4 }, end: { line: 2, character: 44 } }] },
    });
    expect(text(metadata.get('result.json'))).toBe(marshalIndent(results));
    expect(text(metadata.get('result.txt'))).toBe(printLintResults(results));
    expect(text(metadata.get('result.txt'))).toContain(
      '\nWARNING: cache-mount-sharing - https://github.com/dfrewrite/dfrewrite/blob/main/docs/rules/cache-mount-sharing.md\n',
    );
    expect(text(metadata.get('result.statuscode'))).toBe('1');
    expect(text(metadata.get('version'))).toBe('1.0.0');
    expect(Buffer.from(returned.subarray(-3))).toEqual(Buffer.from([0x98, 0x06, 0x01]));
  });

  test('no upstream warnings (Go marshals them as null): ours make the status 1', async () => {
    const source = { filename: 'Dockerfile', data: lintDockerfile.toString('base64'), language: 'Dockerfile' };
    const json = marshalIndent({ warnings: null, sources: [source] });
    const { returned } = await check(lintDockerfile, upstreamLintResult(json, '', '0'));
    const metadata = resultMetadata(returned);
    const results = JSON.parse(text(metadata.get('result.json'))!);
    expect(results.warnings.length).toBeGreaterThan(0);
    expect(results.sources).toEqual([source]);
    expect(text(metadata.get('result.statuscode'))).toBe('1');
  });

  test('a file with nothing for us: the upstream’s result, the same bytes', async () => {
    const json = marshalIndent({
      warnings: null,
      sources: [{ filename: 'Dockerfile', data: Buffer.from(CLEAN).toString('base64'), language: 'Dockerfile' }],
    });
    const upstream = upstreamLintResult(json, '', '0');
    const { returned } = await check(CLEAN, upstream);
    expect(returned).toEqual(upstream);
  });

  test('DFREWRITE=off: the upstream’s result, the same bytes', async () => {
    const upstream = upstreamLintResult(capturedJson, capturedText, '1');
    const { returned, record } = await check(lintDockerfile, upstream, { 'build-arg:DFREWRITE': 'off' });
    expect(returned).toEqual(upstream);
    expect(record.reads).toEqual([]);
  });

  test('the file under another name is listed as a source of its own', () => {
    const results = addToLintResult(
      upstreamLintResult(marshalIndent({ warnings: null, sources: null }), '', '0'),
      [
        {
          ruleName: 'r',
          description: 'd',
          url: 'u',
          detail: 'x',
          ranges: [{ start: { line: 1, character: 0 }, end: { line: 1, character: 3 } }],
        },
      ],
      { filename: 'app.Dockerfile', data: Buffer.from('RUN x\n') },
    );
    const json = JSON.parse(text(resultMetadata(results).get('result.json'))!);
    expect(json.sources).toEqual([
      { filename: 'app.Dockerfile', data: Buffer.from('RUN x\n').toString('base64'), language: 'Dockerfile' },
    ]);
    expect(json.warnings[0].location).toEqual({ ranges: [{ start: { line: 1 }, end: { line: 1, character: 3 } }] });
  });
});
