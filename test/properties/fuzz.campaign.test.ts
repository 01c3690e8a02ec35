/**
 * The long fuzz campaign behind `npm run fuzz` (scripts/fuzz.mjs): skipped unless
 * DFREWRITE_FUZZ_RUNS is set. Generates files chunk by chunk (chunk k from seed base+k), checks
 * each with the properties of check.ts (half of them with suggested fixes applied too), and goes
 * on after a failure. The first case of each distinct failure is shrunk by fast-check and written
 * to test/fixtures/regressions/, where regressions.test.ts replays it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkCase, PropertyViolation } from './check.js';
import { writeFixture } from './fixtures.js';
import { anyGeneratedDockerfile, type GeneratedDockerfile } from './generator.js';

const RUNS = Number(process.env.DFREWRITE_FUZZ_RUNS ?? 0);
const SEED = Number(process.env.DFREWRITE_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CHUNK = Number(process.env.DFREWRITE_FUZZ_CHUNK ?? 5000);
const MAX_FIXTURES = Number(process.env.DFREWRITE_FUZZ_MAX_FIXTURES ?? 20);

const cases = fc.tuple(anyGeneratedDockerfile, fc.boolean());

function run([{ source, breakage }, applySuggested]: [GeneratedDockerfile, boolean]): 'refused' | 'rewritten' {
  return checkCase(source, breakage === 'none', { applySuggested }).kind;
}

/** What makes two failures the same: the property and its message with numbers and quoted text blurred. */
function failureKey(error: unknown): { property: string; key: string; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  const property = error instanceof PropertyViolation ? (/^\[([^\]]+)\]/.exec(message)?.[1] ?? 'property') : 'crash';
  const blurred = message
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/id=\S+/g, 'id=…')
    .replace(/\d+/g, 'N');
  const key = `${property}: ${blurred.slice(0, 100)}`;
  return { property, key, message };
}

describe.skipIf(!(RUNS > 0))('fuzz campaign', () => {
  it(
    `${RUNS} generated Dockerfiles keep every property`,
    () => {
      const log = (line: string): void => void process.stdout.write(`${line}\n`);
      log(`fuzz: seed ${SEED}, ${RUNS} cases in chunks of ${CHUNK} (chunk k is generated from seed ${SEED}+k)`);
      const started = Date.now();
      const failures = new Map<string, { count: number; report: string }>();
      let done = 0;
      let refused = 0;
      for (let chunk = 0; done < RUNS; chunk++) {
        const seed = SEED + chunk;
        const numRuns = Math.min(CHUNK, RUNS - done);
        for (const value of fc.sample(cases, { seed, numRuns })) {
          done++;
          try {
            if (run(value) === 'refused') refused++;
          } catch (error) {
            const { property, key, message } = failureKey(error);
            const known = failures.get(key);
            if (known) {
              known.count++;
              continue;
            }
            // Shrink: replay the chunk under fast-check, failing only on this same failure.
            const details = fc.check(
              fc.property(cases, (v) => {
                try {
                  run(v);
                } catch (e) {
                  if (failureKey(e).key === key) throw e;
                }
              }),
              { seed, numRuns },
            );
            const shrunk = details.failed && details.counterexample ? details.counterexample[0] : value;
            const shrunkMessage = details.failed ? failureKey(details.errorInstance).message : message;
            const [{ source, breakage }, applySuggested] = shrunk;
            const name =
              failures.size < MAX_FIXTURES
                ? writeFixture(property, source, breakage === 'none' && property === 'no-refusal')
                : undefined;
            const report =
              `${shrunkMessage}\n  seed ${seed} (chunk ${chunk}), applySuggested=${applySuggested}, breakage=${breakage}` +
              `${name ? `\n  written to test/fixtures/regressions/${name}` : ''}\n  ${JSON.stringify(source)}`;
            failures.set(key, { count: 1, report });
            log(`FAILURE ${failures.size}: ${report}`);
          }
        }
        const failed = [...failures.values()].reduce((n, f) => n + f.count, 0);
        log(
          `fuzz: ${done}/${RUNS} cases, ${refused} refused, ${failed} failing (${failures.size} distinct), ${((Date.now() - started) / 1000).toFixed(0)} s`,
        );
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      log(
        `fuzz: done, seed ${SEED}: ${done} cases in ${seconds} s, ${refused} refused (${((100 * refused) / done).toFixed(1)}%), ${failures.size} distinct failures`,
      );
      for (const [key, { count }] of failures) log(`  ${count}× ${key}`);
      expect([...failures.values()].map((f) => f.report).join('\n\n')).toBe('');
    },
    7 * 24 * 3600 * 1000,
  );
});
