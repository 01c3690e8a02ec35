import { describe, expect, test } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { findingNotices, noticeWarning, notRewritten, summaryOf, vertexName } from '../../src/frontend/notices.js';

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
    expect(notRewritten('line 3: unterminated heredoc <<EOF\nmore')).toBe(
      'not rewritten: line 3: unterminated heredoc <<EOF',
    );
    expect(notRewritten('x'.repeat(500)).length).toBeLessThan(200);
  });
});

describe('warnings, as the Dockerfile frontend sends its lint warnings', () => {
  const source = {
    filename: 'Dockerfile',
    data: Buffer.from('FROM a\r\nRUN x \\\r\n  y\r\nRUN z\r\n'),
    dockerignore: undefined,
    definition: Buffer.from('def'),
  };
  const descriptions = new Map([['cache-mount-sharing', 'Cache mounts of tools that lock need sharing=locked.']]);

  test('a range ending at the start of a line ends on the line before, at its end', () => {
    const [notice] = findingNotices([finding('cache-mount-sharing', 1, false, 3, 0)], descriptions, source.data);
    expect(notice!.ranges).toEqual([{ start: { line: 2, character: 4 }, end: { line: 3, character: 3 } }]);
  });

  test('level 1, short `RULE: MESSAGE (line N)`, the rule’s description as detail, its URL, the user’s file', () => {
    const [notice] = findingNotices([finding('cache-mount-sharing', 1, true)], descriptions, source.data);
    const warning = noticeWarning(notice!, source, 'sha256:abc');
    expect(warning).toEqual({
      digest: 'sha256:abc',
      level: 1,
      short: 'cache-mount-sharing: cache-mount-sharing message (line 2)',
      detail: ['Cache mounts of tools that lock need sharing=locked.'],
      url: 'https://example.test/cache-mount-sharing',
      info: { filename: 'Dockerfile', data: source.data, definition: source.definition, language: 'Dockerfile' },
      ranges: [{ start: { line: 2, character: 4 }, end: { line: 2, character: 10 } }],
    });
  });

  test('a suggested fix not applied says how to apply it', () => {
    const suggested = {
      ...finding('uv-emulated-bytecode', 0, false),
      fix: { edits: [], addedLines: 0, level: 'suggested' as const },
    };
    const [notice] = findingNotices([suggested], descriptions, source.data);
    expect(notice!.detail).toBe('uv-emulated-bytecode message; not applied without --apply-suggested');
    expect(notice!.description).toBe('');
  });

  test('a finding without a fix keeps the engine’s message (it says why nothing was changed)', () => {
    const [notice] = findingNotices([finding('cache-mount-sharing', 0, false)], descriptions, source.data);
    expect(notice!.detail).toBe('cache-mount-sharing message');
  });
});
