/**
 * Robustness over the corpus of real Dockerfiles in ../shared/corpus/files beside the repository
 * (or $DFREWRITE_CORPUS; skipped with a message when absent). Each file is either refused with a
 * DockerfileError that names a line, or rewritten without a crash: idempotent, deterministic,
 * every changed byte inside a reported edit, same instructions plus the ARGs the fixes add
 * (test/properties/check.ts). Prints a summary: files, refusals by reason, changed files,
 * findings per rule.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRewrite } from './properties/check.js';
import { REPO } from './properties/fixtures.js';

const CORPUS = process.env.DFREWRITE_CORPUS ?? join(REPO, '..', 'shared', 'corpus', 'files');
const present = existsSync(CORPUS);
const files = present
  ? readdirSync(CORPUS)
      .filter((name) => !name.startsWith('.'))
      .sort()
  : [];
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const summary = {
  files: 0,
  notUtf8: [] as string[],
  refused: [] as { name: string; line: number | undefined; reason: string }[],
  rewritten: 0,
  changed: 0,
  multiPass: 0,
  findings: new Map<string, { fixed: number; reported: number }>(),
  addedArgLines: 0,
  ms: 0,
};

afterAll(() => {
  if (!present) return;
  const byReason = new Map<string, string[]>();
  for (const r of summary.refused) {
    const reason = r.reason.replace(/^line \d+: /, '');
    byReason.set(reason, [...(byReason.get(reason) ?? []), `${r.name}${r.line ? `:${r.line}` : ''}`]);
  }
  const lines = [
    `corpus: ${summary.files} files in ${summary.ms} ms; ${summary.rewritten} rewritten (${summary.changed} changed, ${summary.multiPass} after several passes, ${summary.addedArgLines} ARG lines added), ` +
      `${summary.refused.length} refused, ${summary.notUtf8.length} not UTF-8`,
    ...[...summary.findings].map(
      ([rule, n]) => `  ${rule}: ${n.fixed + n.reported} findings (${n.fixed} fixed, ${n.reported} reported only)`,
    ),
    ...[...byReason].map(([reason, names]) => `  refused ×${names.length}: ${reason}\n      ${names.join('\n      ')}`),
    ...summary.notUtf8.map((name) => `  not UTF-8: ${name}`),
  ];
  console.log(lines.join('\n'));
});

describe.skipIf(!present)('corpus of real Dockerfiles', () => {
  for (const name of files) {
    it(name, () => {
      const bytes = readFileSync(join(CORPUS, name));
      let source: string;
      try {
        source = decoder.decode(bytes);
      } catch {
        summary.notUtf8.push(name);
        return;
      }
      summary.files++;
      const started = Date.now();
      const outcome = checkRewrite(source);
      summary.ms += Date.now() - started;
      if (outcome.kind === 'refused') {
        const { error } = outcome;
        summary.refused.push({ name, line: error.line, reason: error.message });
        // A refusal names its line, except "no FROM instruction", which has none to name.
        if (!/no FROM instruction/.test(error.message)) expect(error.line, error.message).toBeTypeOf('number');
        return;
      }
      summary.rewritten++;
      if (outcome.result.changed) summary.changed++;
      if (outcome.multiPass) summary.multiPass++;
      summary.addedArgLines += outcome.addedArgLines;
      for (const finding of outcome.result.findings) {
        const counts = summary.findings.get(finding.ruleId) ?? { fixed: 0, reported: 0 };
        if (finding.fixed) counts.fixed++;
        else counts.reported++;
        summary.findings.set(finding.ruleId, counts);
      }
    });
  }
});

describe.skipIf(present)('corpus absent', () => {
  it(`skipped: no corpus at ${CORPUS}`, () => {
    console.log(`corpus test skipped: ${CORPUS} is absent (the corpus is optional)`);
  });
});
