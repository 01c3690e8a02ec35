import { describe, expect, it } from 'vitest';
import { rewrite } from '../../src/core/rewrite.js';
import { assertCurrent, embeddedAnswers, embeddedBinaries, nodeAnswers, required } from './embedded-binary.js';

/** One row of a rule's table, in the spirit of ESLint's RuleTester. */
export interface RuleCase {
  name: string;
  input: string;
  /** Expected output; omitted when the rule must leave the file as it is. */
  output?: string;
  /** Expected findings, in order: one-based line, whether fixed, and text the message contains. */
  findings: { line: number; fixed: boolean; message?: string }[];
}

/** Runs each case through `rewrite` with only `ruleId` enabled, then checks it settles. */
export function ruleTable(ruleId: string, cases: RuleCase[]): void {
  describe(ruleId, () => {
    for (const row of cases) {
      it(row.name, () => {
        const result = rewrite(row.input, { rules: { enable: [ruleId] } });
        expect(result.output).toBe(row.output ?? row.input);
        expect(result.changed).toBe(row.output !== undefined && row.output !== row.input);
        expect(
          result.findings.map((f) => ({ line: f.range.start.line + 1, fixed: f.fixed, ruleId: f.ruleId })),
        ).toEqual(row.findings.map((f) => ({ line: f.line, fixed: f.fixed, ruleId })));
        row.findings.forEach((expected, i) => {
          if (expected.message) expect(result.findings[i]!.message).toContain(expected.message);
        });
        const again = rewrite(result.output, { rules: { enable: [ruleId] } });
        expect(again.output).toBe(result.output);
        expect(again.findings.filter((f) => f.fixed)).toEqual([]);
      });
    }
    embeddedDifferential(ruleId, cases);
  });
}

/** The table's inputs through the shipped embedded binaries: the Node engine's answers, exactly. */
function embeddedDifferential(ruleId: string, cases: RuleCase[]): void {
  const { binaries } = embeddedBinaries();
  const requests = cases.map((row) => ({ source: row.input, options: { rules: { enable: [ruleId] } } }));
  it.skipIf(binaries.length === 0 && !required()).each(binaries.map((b) => [b.arch, b] as const))(
    'the embedded binary (%s) gives the same answers',
    (_arch, binary) => {
      assertCurrent(binary);
      expect(embeddedAnswers(binary, requests)).toEqual(nodeAnswers(requests));
    },
    120_000,
  );
}

/** Joins lines with `\n` and ends the file with one. */
export const lines = (...rows: string[]): string => `${rows.join('\n')}\n`;
