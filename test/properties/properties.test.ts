/**
 * Property tests of rewrite() over generated Dockerfiles (test/properties/generator.ts), with a
 * fixed seed so the suite is reproducible; fast-check prints the seed and the shrunk
 * counterexample on failure. Override with DFREWRITE_PROPERTY_SEED / DFREWRITE_PROPERTY_RUNS.
 * The long campaign is `npm run fuzz` (scripts/fuzz.mjs).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { allRules } from '../../src/rules/index.js';
import { checkCase, checkRewrite } from './check.js';
import { anyGeneratedDockerfile, dockerfile } from './generator.js';

const SEED = Number(process.env.DFREWRITE_PROPERTY_SEED ?? 20261125);
const RUNS = Number(process.env.DFREWRITE_PROPERTY_RUNS ?? 200);
const TARGETED_RUNS = Math.max(1, Math.round(RUNS / 4));
const params = <T>(numRuns: number): fc.Parameters<[T]> => ({ seed: SEED, numRuns });

const stats = { cases: 0, refused: 0, changed: 0, multiPass: 0, findings: 0, reasons: new Map<string, number>() };

afterAll(() => {
  if (stats.cases === 0) return;
  const reasons = [...stats.reasons].map(([r, n]) => `${n}× ${r}`).join('; ');
  console.log(
    `properties: seed ${SEED}, ${stats.cases} generated files, ${stats.refused} refused (${((100 * stats.refused) / stats.cases).toFixed(1)}%), ` +
      `${stats.changed} changed (${stats.multiPass} after several passes, checked loosely), ${stats.findings} findings${reasons ? `\n  refusals: ${reasons}` : ''}`,
  );
});

describe('rewrite() on generated Dockerfiles', { timeout: 120_000 }, () => {
  it('refuses with a DockerfileError (never a file BuildKit parses), or rewrites idempotently, deterministically, within its edits, to the same instructions plus the ARGs it adds, with ranges inside the file', () => {
    fc.assert(
      fc.property(anyGeneratedDockerfile, ({ source, breakage }) => {
        const outcome = checkCase(source, breakage === 'none');
        stats.cases++;
        if (outcome.kind === 'refused') {
          stats.refused++;
          const reason = outcome.error.message
            .replace(/^line \d+: /, '')
            .replace(/"[^"]*"/g, '"…"')
            .replace(/<<\S+/, '<<…');
          stats.reasons.set(reason, (stats.reasons.get(reason) ?? 0) + 1);
        } else {
          if (outcome.result.changed) stats.changed++;
          if (outcome.multiPass) stats.multiPass++;
          stats.findings += outcome.result.findings.length;
        }
      }),
      params(RUNS),
    );
    // Refused files should stay a minority, or the other properties test little.
    expect(stats.refused / stats.cases).toBeLessThan(0.1);
  });

  it('does not refuse a file BuildKit parses (generated without deliberate breakage)', () => {
    fc.assert(
      fc.property(dockerfile({ invalid: false }), (source) => {
        checkCase(source, true);
      }),
      params(TARGETED_RUNS),
    );
  });

  it('CRLF input gets CRLF-only new lines', () => {
    fc.assert(
      fc.property(dockerfile({ eol: 'crlf' }), (source) => {
        const outcome = checkRewrite(source);
        if (outcome.kind === 'refused') return;
        const bare = /(?<!\r)\n/.exec(outcome.result.output);
        if (bare)
          throw new Error(
            `bare LF at offset ${bare.index}: ${JSON.stringify(outcome.result.output.slice(Math.max(0, bare.index - 40), bare.index + 1))}`,
          );
      }),
      params(TARGETED_RUNS),
    );
  });

  it('keeps a `# escape=`` directive (and every line before the first instruction) byte for byte', () => {
    fc.assert(
      fc.property(dockerfile({ escape: '`' }), (source) => {
        const outcome = checkRewrite(source);
        if (outcome.kind === 'refused') return;
        const lines = source.split('\n');
        const directive = lines.findIndex((l) => /^\uFEFF?#\s*escape\s*=\s*`\s*\r?$/i.test(l));
        expect(directive).toBeGreaterThanOrEqual(0);
        let head = 0;
        while (head < lines.length && /^\uFEFF?\s*(#.*)?\r?$/.test(lines[head]!)) head++;
        const prefix = lines.slice(0, Math.max(head, directive + 1)).join('\n');
        expect(outcome.result.output.startsWith(prefix)).toBe(true);
      }),
      params(TARGETED_RUNS),
    );
  });

  it('keeps a UTF-8 BOM, and adds none', () => {
    fc.assert(
      fc.property(
        fc.boolean().chain((bom) => dockerfile({ bom }).map((source) => ({ bom, source }))),
        ({ bom, source }) => {
          const outcome = checkRewrite(source);
          if (outcome.kind === 'refused') return;
          const output = outcome.result.output;
          expect(output.startsWith('\uFEFF')).toBe(bom);
          expect(output.split('\uFEFF').length).toBe(source.split('\uFEFF').length);
        },
      ),
      params(TARGETED_RUNS),
    );
  });

  it('keeps every property with suggested fixes applied too', () => {
    fc.assert(
      fc.property(anyGeneratedDockerfile, ({ source, breakage }) => {
        checkCase(source, breakage === 'none', { applySuggested: true });
      }),
      params(TARGETED_RUNS),
    );
  });

  it('keeps every property with each rule alone', () => {
    const ids = allRules.map((rule) => rule.id);
    fc.assert(
      fc.property(fc.constantFrom(...ids), anyGeneratedDockerfile, (id, { source, breakage }) => {
        checkCase(source, breakage === 'none', { rules: { enable: [id] }, applySuggested: true });
      }),
      { seed: SEED, numRuns: TARGETED_RUNS },
    );
  });
});
