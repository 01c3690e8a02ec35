import { describe, expect, it } from 'vitest';
import { cli, NEEDS_FIX, tree } from '../adoption/helpers.js';

describe('--format', () => {
  it('--json is --format json', () => {
    const dir = tree({ Dockerfile: NEEDS_FIX });
    const a = cli(['--json', '--check', 'Dockerfile'], { cwd: dir });
    const b = cli(['--format', 'json', '--check', 'Dockerfile'], { cwd: dir });
    expect(a).toEqual(b);
    expect(a.code).toBe(1);
    expect(JSON.parse(a.stdout).changed).toBe(1);
  });

  it('json and sarif are one report on stdout, for several files even without a mode', () => {
    const dir = tree({ 'a/Dockerfile': NEEDS_FIX, 'b/Dockerfile': NEEDS_FIX });
    for (const format of ['json', 'sarif']) {
      const run = cli(['--format', format, '.'], { cwd: dir });
      expect(run.code, format).toBe(0);
      expect(run.stderr, format).toBe('');
      expect(() => JSON.parse(run.stdout), format).not.toThrow();
    }
  });

  it('an unknown format, or --json with another format, is a usage error', () => {
    const unknown = cli(['--format', 'xml', 'Dockerfile']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('dfrewrite: unknown --format "xml" (known: text, json, sarif, github)\n');
    expect(cli(['--json', '--format', 'sarif', 'Dockerfile']).stderr).toMatch(/--json is --format json/);
    expect(cli(['--apply-suggested', '--no-apply-suggested', 'Dockerfile']).code).toBe(2);
  });

  it('--help documents the formats, the configuration and the exit codes, with examples', () => {
    const { stdout } = cli(['--help']);
    for (const text of [
      '--format',
      'sarif',
      'github',
      '--config PATH',
      '--no-config',
      '--report-unused-directives',
      'Exit codes:',
      'Examples:',
    ]) {
      expect(stdout).toContain(text);
    }
  });
});
