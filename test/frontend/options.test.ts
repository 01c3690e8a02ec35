import { describe, expect, test } from 'vitest';
import { frontendOptions, readSettings } from '../../src/frontend/options.js';

describe('frontendOptions', () => {
  test('reads BUILDKIT_FRONTEND_OPT_<n> in any numbering, splitting at the first =', () => {
    const options = frontendOptions({
      BUILDKIT_FRONTEND_OPT_7: 'build-arg:X=a=b',
      BUILDKIT_FRONTEND_OPT_0: 'filename=sub/Dockerfile',
      BUILDKIT_FRONTEND_OPT_12: 'no-cache',
      BUILDKIT_SESSION_ID: 'abc',
      PATH: '/bin',
    });
    expect(Object.fromEntries(options)).toEqual({ 'build-arg:X': 'a=b', filename: 'sub/Dockerfile', 'no-cache': '' });
  });
});

describe('readSettings', () => {
  const settings = (options: Record<string, string>) => readSettings(new Map(Object.entries(options)));

  test('defaults: enabled, built-in upstream, every rule', () => {
    expect(settings({})).toEqual({
      enabled: true,
      upstream: 'dockerfile.v0',
      upstreamExplicit: false,
      disable: [],
      applySuggested: false,
      unknownArguments: [],
      debug: false,
      self: '',
    });
  });

  test("the image dfrewrite runs as: `source` (BUILDKIT_SYNTAX forwarding), else the syntax line's first word", () => {
    expect(settings({ source: 'example/dfrewrite:2', cmdline: 'example/dfrewrite:1 --apply-suggested' }).self).toBe(
      'example/dfrewrite:2',
    );
    expect(settings({ cmdline: ' example/dfrewrite:1  --apply-suggested' }).self).toBe('example/dfrewrite:1');
  });

  test('syntax line arguments after the image', () => {
    expect(
      settings({
        cmdline:
          'example/dfrewrite:1  --upstream=docker/dockerfile:1.10 --disable=cache-mount-sharing,uv-emulated-bytecode --apply-suggested --bogus',
      }),
    ).toEqual({
      enabled: true,
      upstream: 'docker/dockerfile:1.10',
      upstreamExplicit: true,
      disable: ['cache-mount-sharing', 'uv-emulated-bytecode'],
      applySuggested: true,
      unknownArguments: ['--bogus'],
      debug: false,
      self: 'example/dfrewrite:1',
    });
  });

  test('build args override the syntax line', () => {
    const s = settings({
      cmdline: 'img --upstream=docker/dockerfile:1.10 --disable=cache-mount-sharing',
      'build-arg:DFREWRITE_UPSTREAM': 'docker/dockerfile:1.12',
      'build-arg:DFREWRITE_DISABLE': 'uv-emulated-bytecode',
    });
    expect(s.upstream).toBe('docker/dockerfile:1.12');
    expect(s.upstreamExplicit).toBe(true);
    expect(s.disable).toEqual(['uv-emulated-bytecode']);
  });

  test('DFREWRITE_DEBUG', () => {
    expect(settings({ 'build-arg:DFREWRITE_DEBUG': '1' }).debug).toBe(true);
    expect(settings({ 'build-arg:DFREWRITE_DEBUG': '0' }).debug).toBe(false);
    expect(settings({ 'build-arg:DFREWRITE_DEBUG': '' }).debug).toBe(false);
  });

  test('DFREWRITE_APPLY_SUGGESTED overrides --apply-suggested either way', () => {
    expect(
      settings({ cmdline: 'img --apply-suggested', 'build-arg:DFREWRITE_APPLY_SUGGESTED': 'false' }).applySuggested,
    ).toBe(false);
    expect(settings({ cmdline: 'img', 'build-arg:DFREWRITE_APPLY_SUGGESTED': '1' }).applySuggested).toBe(true);
  });

  test('an empty DFREWRITE_DISABLE build arg enables every rule again', () => {
    expect(
      settings({ cmdline: 'img --disable=cache-mount-sharing', 'build-arg:DFREWRITE_DISABLE': '' }).disable,
    ).toEqual([]);
  });

  test.each(['off', 'OFF', 'false', '0'])('DFREWRITE=%s turns the rewrite off', (value) => {
    expect(settings({ 'build-arg:DFREWRITE': value }).enabled).toBe(false);
  });

  test('other DFREWRITE values keep it on', () => {
    expect(settings({ 'build-arg:DFREWRITE': 'on' }).enabled).toBe(true);
  });
});
