import { createTwoFilesPatch } from 'diff';

/** A unified diff of one file (empty when nothing changed). */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, { context: 3 })
    .split('\n')
    .slice(1) // the leading "====" separator line is not part of a unified diff
    .join('\n');
}
