/**
 * The same answers on both runtimes, from the shipped binaries: every corpus file (when the
 * corpus is there), the examples, every regression fixture, a fuzzed sample and a 5.5 MiB file
 * go through the embedded binary's rewrite-only mode (amd64 natively, arm64 under qemu-aarch64)
 * and must come back byte for byte what the Node engine answers, findings included. Every rule
 * table does the same with its own inputs (test/helpers/rule-table.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RewriteCase } from '../../../src/frontend/embedded/rewrite-only.js';
import {
  assertCurrent,
  embeddedAnswers,
  embeddedBinaries,
  nodeAnswers,
  required,
} from '../../helpers/embedded-binary.js';
import { listFixtures, readFixture, REPO } from '../../properties/fixtures.js';
import { anyDockerfile } from '../../properties/generator.js';

const CORPUS = process.env.DFREWRITE_CORPUS ?? join(REPO, '..', 'shared', 'corpus', 'files');
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function readAll(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const texts: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    try {
      texts.push(strictUtf8.decode(readFileSync(join(dir, name))));
    } catch {
      // not UTF-8: the frontend forwards such a file before the engine sees it
    }
  }
  return texts;
}

const corpus = readAll(CORPUS);
const fuzzed = fc.sample(anyDockerfile, { seed: 15, numRuns: 300 });
const padded =
  'FROM local/busybox-amd64\nRUN --mount=type=cache,target=/var/cache/apt echo first\n' +
  '# padding padding padding padding padding padding padding padding padding padding\n'.repeat(70_000);
const cases: RewriteCase[] = [
  ...corpus.map((source) => ({ source })),
  ...readAll(join(REPO, 'examples')).map((source) => ({ source })),
  ...listFixtures().map((name) => ({ source: readFixture(name) })),
  ...fuzzed.map((source) => ({ source })),
  ...fuzzed.slice(0, 100).map((source) => ({ source, options: { applySuggested: true } })),
  { source: padded },
];

const { binaries, missing } = embeddedBinaries();
const skip = !required() && binaries.length === 0;

describe.skipIf(skip)('the embedded binary answers as the Node engine does', () => {
  it.runIf(required())('both architectures are there (CI=true)', () => {
    expect(missing).toEqual([]);
  });

  it.each(binaries.map((b) => [b.arch, b] as const))(
    `%s: byte-identical output and findings (${cases.length} cases, ${corpus.length} from the corpus)`,
    (_arch, binary) => {
      assertCurrent(binary);
      const expected = nodeAnswers(cases);
      const actual = embeddedAnswers(binary, cases);
      expect(actual.length).toBe(expected.length);
      for (let i = 0; i < cases.length; i++) expect(actual[i], `case ${i}`).toEqual(expected[i]);
    },
    600_000,
  );
});
