import { describe, expect, it } from 'vitest';
import { applyEdits, EditSet, editsConflict, OffsetMapper } from '../../src/core/fix/apply.js';
import { DockerfileError } from '../../src/core/errors.js';
import { rewrite, UnknownRuleError } from '../../src/core/rewrite.js';
import type { Rule } from '../../src/core/rule.js';
import { runRules } from '../../src/core/fix/runner.js';
import type { TextEdit } from '../../src/core/types.js';

const edit = (start: number, end: number, text: string, expected = ''): TextEdit => ({ start, end, text, expected });

describe('edits', () => {
  it('conflict when they overlap or insert at one point; identical edits do not', () => {
    expect(editsConflict(edit(0, 2, 'x'), edit(1, 3, 'y'))).toBe(true);
    expect(editsConflict(edit(2, 2, 'x'), edit(2, 2, 'y'))).toBe(true);
    expect(editsConflict(edit(2, 2, 'x'), edit(2, 2, 'x'))).toBe(false);
    expect(editsConflict(edit(2, 2, 'x'), edit(0, 4, 'y'))).toBe(true);
    expect(editsConflict(edit(0, 2, 'x'), edit(2, 4, 'y'))).toBe(false);
    expect(editsConflict(edit(2, 2, 'x'), edit(2, 4, 'y'))).toBe(false);
    expect(editsConflict(edit(2, 2, 'x'), edit(2, 4, '', 'a\n'))).toBe(true);
  });

  it('an EditSet keeps all of a fix or none of it', () => {
    const set = new EditSet();
    expect(set.tryAdd([edit(5, 6, 'a'), edit(10, 10, 'b')])).toHaveLength(2);
    expect(set.tryAdd([edit(0, 1, 'c'), edit(10, 10, 'd')])).toBeUndefined();
    expect(set.tryAdd([edit(0, 1, 'c')])).toHaveLength(1);
  });

  it("a declaration already made at or before a fix's point is dropped from that fix; a later one defers it", () => {
    const declare = (at: number, name: string): TextEdit => ({
      ...edit(at, at, `ARG ${name}\n`),
      declares: [`stage 0: ARG ${name}`],
    });
    const set = new EditSet();
    expect(set.tryAdd([declare(10, 'A'), declare(10, 'B')])).toHaveLength(2);
    expect(set.tryAdd([declare(20, 'A'), edit(25, 25, 'x')])).toEqual([edit(25, 25, 'x')]);
    expect(set.tryAdd([declare(10, 'C')])).toHaveLength(1);
    expect(set.tryAdd([declare(5, 'B')])).toBeUndefined();
  });

  it('apply checks the text each edit replaces', () => {
    expect(applyEdits('abcdef', [edit(1, 3, 'X', 'bc'), edit(6, 6, '!')])).toBe('aXdef!');
    expect(() => applyEdits('abcdef', [edit(1, 3, 'X', 'zz')])).toThrow(/expected "zz"/);
  });

  it('maps offsets of the edited text back to the original', () => {
    const mapper = new OffsetMapper([edit(2, 2, 'XYZ'), edit(4, 6, '')]);
    // "ab" + "XYZ" + "cd" + "" + "gh"  from  "abcdefgh"
    expect([0, 2, 4, 5, 6, 7, 8].map((o) => mapper.map(o))).toEqual([0, 2, 2, 2, 3, 6, 7]);
  });
});

describe('the rule runner', () => {
  const rule = (id: string, check: Rule['check'], fixLevel: Rule['fixLevel'] = 'safe'): Rule => ({
    id,
    summary: id,
    evidence: [],
    fixLevel,
    check,
  });

  it('a fix that conflicts with another is applied in a later pass; findings keep original lines', () => {
    const insertAtEnd: Rule = rule('a', ({ model, report }) => {
      if (!model.source.includes('# A')) {
        report({
          start: 0,
          end: 4,
          message: 'add A',
          fix: { edits: [edit(model.source.length, model.source.length, '# A\n')], addedLines: 1 },
        });
      }
    });
    const alsoAtEnd: Rule = rule('b', ({ model, report }) => {
      if (!model.source.includes('# B')) {
        report({
          start: 7,
          end: 12,
          message: 'add B',
          fix: { edits: [edit(model.source.length, model.source.length, '# B\n')], addedLines: 1 },
        });
      }
    });
    const result = runRules('FROM x\nRUN y\n', [insertAtEnd, alsoAtEnd]);
    expect(result.output).toBe('FROM x\nRUN y\n# A\n# B\n');
    expect(result.findings.map((f) => [f.ruleId, f.range.start.line, f.fixed])).toEqual([
      ['a', 0, true],
      ['b', 1, true],
    ]);
  });

  it('suggested fixes are reported with their edit but applied only on request', () => {
    const suggests = rule(
      'suggest',
      ({ model, report }) => {
        if (!model.source.includes('# S')) {
          report({
            start: 0,
            end: 4,
            message: 'maybe',
            fix: { edits: [edit(model.source.length, model.source.length, '# S\n')], addedLines: 1 },
          });
        }
      },
      'suggested',
    );
    const reported = runRules('FROM x\n', [suggests]);
    expect(reported.output).toBe('FROM x\n');
    expect(reported.findings).toMatchObject([{ ruleId: 'suggest', fixed: false, fix: { level: 'suggested' } }]);
    const applied = runRules('FROM x\n', [suggests], { applySuggested: true });
    expect(applied.output).toBe('FROM x\n# S\n');
    expect(applied.findings).toMatchObject([{ fixed: true }]);
  });

  it('two rules declaring the same ARG in a stage declare it once (the second fix waits a pass)', () => {
    const source = 'FROM python\nENV UV_COMPILE_BYTECODE=1\nRUN echo $TARGETARCH\nRUN uv sync\n';
    const result = rewrite(source, { rules: { enable: ['platform-args', 'uv-emulated-bytecode'] } });
    expect(result.output.match(/^ARG TARGETARCH$/gm)).toHaveLength(1);
    expect(result.output.match(/^ARG BUILDARCH$/gm)).toHaveLength(1);
    expect(result.findings.map((f) => [f.ruleId, f.range.start.line + 1, f.fixed])).toEqual([
      ['platform-args', 3, true],
      ['uv-emulated-bytecode', 4, true],
    ]);
    expect(rewrite(result.output).output).toBe(result.output);
  });

  it('a rule that never settles is an error, not an endless loop', () => {
    const grows: Rule = rule('grow', ({ model, report }) =>
      report({
        start: 0,
        end: 1,
        message: 'more',
        fix: { edits: [edit(model.source.length, model.source.length, '#\n')], addedLines: 1 },
      }),
    );
    expect(() => runRules('FROM x\n', [grows])).toThrow(/did not settle/);
  });

  it('rule selection: enable, disable, unknown ids', () => {
    const source = 'FROM x\nENV UV_COMPILE_BYTECODE=1\nRUN --mount=type=cache,target=/var/cache/apt uv sync\n';
    const both = ['cache-mount-sharing', 'uv-emulated-bytecode'];
    expect(new Set(rewrite(source, { rules: { enable: both } }).findings.map((f) => f.ruleId))).toEqual(new Set(both));
    expect(
      rewrite(source, { rules: { enable: both, disable: ['cache-mount-sharing'] } }).findings.map((f) => f.ruleId),
    ).toEqual(['uv-emulated-bytecode']);
    expect(rewrite(source, { rules: { enable: ['cache-mount-sharing'] } }).findings.map((f) => f.ruleId)).toEqual([
      'cache-mount-sharing',
    ]);
    expect(() => rewrite(source, { rules: { enable: ['nope'] } })).toThrow(UnknownRuleError);
  });

  it('same input, same output and findings', () => {
    const source =
      'FROM x AS a\nENV UV_COMPILE_BYTECODE=1\nRUN --mount=type=cache,target=/var/cache/apt uv sync\nFROM a\nRUN uv sync\n';
    expect(rewrite(source)).toEqual(rewrite(source));
  });
});

describe('input the engine refuses', () => {
  const refused: [string, string, RegExp][] = [
    ['binary data', 'FROM x\nRUN a\0b\n', /line 2: binary data/],
    ['an unknown instruction', 'FROM x\nFOO bar\n', /line 2: unknown instruction "FOO"/],
    ['no FROM at all', '# just a comment\nARG X\n', /no FROM/],
    ['an instruction before FROM', 'RUN x\nFROM y\n', /line 1: RUN before the first FROM/],
    ['an unterminated heredoc', 'FROM x\nRUN <<EOF\necho\n', /line 2: unterminated heredoc <<EOF/],
  ];
  for (const [name, source, message] of refused) {
    it(name, () => {
      expect(() => rewrite(source)).toThrow(DockerfileError);
      expect(() => rewrite(source)).toThrow(message);
    });
  }
});

describe('the "(adds N lines)" note, said by the engine from the fix it keeps', () => {
  const messages = (source: string, options = {}): string[] =>
    rewrite(source, options).findings.map((f) => `${f.ruleId}: ${f.message}`);

  it('a fix whose ARG declarations another fix already makes adds no line, and says none', () => {
    const [uv, bootsnap] = messages(
      'FROM ruby\nENV UV_COMPILE_BYTECODE=1\nRUN uv sync\nRUN bootsnap precompile --gemfile\n',
    );
    expect(uv).toMatch(/kept natively \(adds 2 lines\)$/);
    expect(bootsnap).toMatch(/parallel natively$/);
  });

  it('a fix applied in a later pass says what it adds in that pass', () => {
    const [platform, uv] = messages('FROM python\nENV UV_COMPILE_BYTECODE=1\nRUN echo $TARGETARCH\nRUN uv sync\n');
    expect(platform).toMatch(/in the stage \(adds 1 line\)$/);
    expect(uv).toMatch(/kept natively \(adds 1 line\)$/);
  });

  it('the suggested GOARCH fix says the ARG line it adds', () => {
    const source = 'FROM --platform=$BUILDPLATFORM golang\nRUN GOARCH=amd64 go build .\n';
    expect(messages(source)).toEqual([
      expect.stringMatching(/use GOARCH=\$TARGETARCH \(suggested fix\) \(adds 1 line\)$/),
    ]);
    expect(messages(`${source.split('\n')[0]!}\nARG TARGETARCH\nRUN GOARCH=amd64 go build .\n`)).toEqual([
      expect.stringMatching(/\(suggested fix\)$/),
    ]);
  });
});
