/**
 * Places a finding in a `dockerfile_inline` Dockerfile at its line in the Compose file. A literal
 * block (`|`) keeps the Dockerfile's lines one for one below its header, indented: a line is found
 * exactly (and its column too, when interpolation left that line as written). Other styles fold or
 * escape the text, so a finding there is placed at the start of the value.
 */
import type { LineCounter } from 'yaml';
import type { SourceRange } from '../core/types.js';

interface ScalarNode {
  type?: string;
  range?: [number, number, number];
}

export function inlineRangeMapper(
  composeText: string,
  node: unknown,
  lineCounter: LineCounter,
  fallback: { line: number },
  inlineText: string,
): (range: SourceRange) => SourceRange {
  const scalar = node as ScalarNode | undefined;
  const start = scalar?.range ? lineCounter.linePos(scalar.range[0]) : { line: fallback.line, col: 1 };
  const at = { line: start.line - 1, character: start.col - 1 };
  const header = composeText.slice(scalar?.range?.[0] ?? 0).split('\n', 1)[0] ?? '';
  // An explicit indentation indicator (`|2`) is rare: no exact placement then.
  if (scalar?.type !== 'BLOCK_LITERAL' || /\d/.test(header)) return () => ({ start: at, end: at });
  const composeLines = composeText.split('\n');
  const inlineLines = inlineText.split('\n');
  const first = start.line; // zero-based index of the line below the header
  const indent = /^ */.exec(composeLines.slice(first).find((l) => l.trim() !== '') ?? '')![0].length;
  return (range) => {
    const place = (position: SourceRange['start'], written: boolean): SourceRange['start'] => ({
      line: first + position.line,
      character: indent + (written ? position.character : 0),
    });
    const lineAsWritten = (n: number): boolean => composeLines[first + n]?.slice(indent) === inlineLines[n];
    return {
      start: place(range.start, lineAsWritten(range.start.line)),
      end: place(range.end, lineAsWritten(range.end.line)),
    };
  };
}
