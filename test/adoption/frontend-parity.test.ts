/**
 * The CLI and the BuildKit frontend must do the same thing to the same Dockerfile: both call
 * rewrite(), but each decodes, selects rules and reports on its own. Here the CLI (the built bin,
 * in place, JSON report) and the frontend's rewrite path (rewriteDockerfile, as the frontend calls
 * it) go over the same fixtures, with the same settings, and must agree byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toJsonFinding } from '../../src/cli/report.js';
import { rewriteDockerfile } from '../../src/frontend/engine.js';
import { BIN, tree } from './helpers.js';

const SOURCES = ['test/adoption/fixtures', 'test/fixtures/regressions', 'examples'];
const fixtures: { name: string; bytes: Buffer }[] = [
  ...SOURCES.filter(existsSync).flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => name === 'Dockerfile' || name.endsWith('.Dockerfile'))
      .map((name) => ({ name: join(dir, name), bytes: readFileSync(join(dir, name)) })),
  ),
  // refused by both, and left as they were
  {
    name: 'unknown instruction',
    bytes: Buffer.from('FROM x\nBOGUS y\nRUN --mount=type=cache,target=/var/cache/apt true\n'),
  },
  {
    name: 'not UTF-8',
    bytes: Buffer.from('FROM x\nRUN --mount=type=cache,target=/var/cache/apt echo \xff\n', 'latin1'),
  },
];

const settings: [string, string[], { disable: string[]; applySuggested: boolean }][] = [
  ['defaults', [], { disable: [], applySuggested: false }],
  [
    'a rule disabled, suggested fixes applied',
    ['--disable', 'cache-mount-sharing', '--apply-suggested'],
    { disable: ['cache-mount-sharing'], applySuggested: true },
  ],
];

describe('the CLI and the frontend rewrite the same fixtures identically', () => {
  it('has fixtures', () => expect(fixtures.length).toBeGreaterThan(5));

  for (const [name, flags, frontendSettings] of settings) {
    it(name, async () => {
      const dir = tree();
      const copies = fixtures.map((fixture, i) => {
        const copy = join(dir, `${i}.Dockerfile`);
        writeFileSync(copy, fixture.bytes);
        return { fixture, copy };
      });
      const run = spawnSync(
        process.execPath,
        [BIN, '--no-config', '-i', '--json', ...flags, ...copies.map((c) => c.copy)],
        { encoding: 'utf8' },
      );
      const report = JSON.parse(run.stdout);
      let refused = 0;
      for (const { fixture, copy } of copies) {
        const cli = report.files.find((f: { path: string }) => f.path === copy);
        const frontend = await rewriteDockerfile(fixture.bytes, frontendSettings);
        expect(readFileSync(copy), fixture.name).toEqual(Buffer.from(frontend.data));
        if (cli.error) {
          expect(frontend.findings, fixture.name).toEqual([]);
          expect(frontend.summary, fixture.name).toMatch(/not rewritten/i);
          refused++;
        } else {
          expect(cli.findings, fixture.name).toEqual(frontend.findings.map(toJsonFinding));
        }
      }
      expect(refused).toBeGreaterThanOrEqual(2);
    });
  }
});
