import { describe, expect, test } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { findingWarnings, notRewritten, summaryOf, vertexName } from '../../src/frontend/report.js';

const finding = (ruleId: string, line: number, fixed: boolean, endLine = line, endCharacter = 10): Finding => ({
  ruleId,
  severity: 'warning',
  message: `${ruleId} message`,
  range: { start: { line, character: 4 }, end: { line: endLine, character: endCharacter } },
  url: `https://example.test/${ruleId}`,
  fixed,
});

describe('vertex name', () => {
  test('fixes and findings left as they were, with one-based lines', () => {
    const summary = summaryOf([
      finding('cache-mount-sharing', 6, true),
      finding('uv-emulated-bytecode', 11, true),
      finding('cache-mount-sharing', 2, false),
    ]);
    expect(vertexName(summary)).toBe(
      '[dfrewrite] 2 fixes: cache-mount-sharing line 7, uv-emulated-bytecode line 12; 1 not fixed: cache-mount-sharing line 3',
    );
  });

  test('nothing found', () => {
    expect(summaryOf([])).toBe('no changes');
  });

  test('a long list is cut short', () => {
    const many = Array.from({ length: 11 }, (_, i) => finding('cache-mount-sharing', i, true));
    expect(summaryOf(many)).toMatch(/^11 fixes: (cache-mount-sharing line \d+, ){8}3 more$/);
  });

  test('the reason for passing the file on unchanged: its first line, shortened', () => {
    expect(notRewritten('line 3: unterminated heredoc <<EOF\nmore')).toBe('not rewritten: line 3: unterminated heredoc <<EOF');
    expect(notRewritten('x'.repeat(500)).length).toBeLessThan(200);
  });
});

describe('warnings', () => {
  const source = {
    filename: 'Dockerfile',
    data: Buffer.from('FROM a\r\nRUN x \\\r\n  y\r\nRUN z\r\n'),
    dockerignore: undefined,
    definition: Buffer.from('def'),
  };

  test('a range ending at the start of a line ends on the line before, at its end', () => {
    const [warning] = findingWarnings([finding('cache-mount-sharing', 1, false, 3, 0)], source, 'sha256:abc');
    expect(warning!.ranges).toEqual([{ start: { line: 2, character: 4 }, end: { line: 3, character: 3 } }]);
    expect(warning!.short).toBe('cache-mount-sharing: cache-mount-sharing message (line 2; not fixed)');
  });

  test('a suggested fix not applied says how to apply it', () => {
    const suggested = { ...finding('uv-emulated-bytecode', 0, false), fix: { edits: [], addedLines: 0, level: 'suggested' as const } };
    expect(findingWarnings([suggested], source, 'sha256:abc')[0]!.short).toMatch(/\(line 1; suggested fix: --apply-suggested\)$/);
  });
});
