import { describe, expect, it } from 'vitest';
import { readLogicalLine } from '../../src/core/parse/logical-line.js';

describe('logical lines', () => {
  it("joins continuations, keeps the next line's indentation, maps every character to its offset", () => {
    const source = 'RUN a \\\n  b\nRUN c';
    const line = readLogicalLine(source, 0, source.length, '\\');
    expect(line.text).toBe('RUN a   b');
    expect(
      line.text
        .split('')
        .map((_, i) => source[line.offset(i)!])
        .join(''),
    ).toBe(line.text);
    expect(line.end).toBe(source.indexOf('\nRUN c'));
  });

  it('skips comment and blank lines inside a continuation, and drops CR', () => {
    const source = 'RUN a \\\r\n# note\r\n   \r\n  b\r\n';
    expect(readLogicalLine(source, 0, source.length, '\\').text).toBe('RUN a   b');
  });

  it('uses the escape character of the file', () => {
    const source = 'RUN a `\n b \\\nRUN';
    expect(readLogicalLine(source, 0, source.length, '`').text).toBe('RUN a  b \\');
  });

  it('maps every character of a many-piece line to its offset', () => {
    const source = `RUN a${Array.from({ length: 60 }, (_, k) => ` \\\n${k % 7 === 0 ? '# c\n\n' : ''}${'x'.repeat(k % 5)}${k}`).join('')}\nRUN z`;
    const line = readLogicalLine(source, 0, source.length, '\\');
    const offsets = line.text.split('').map((_, i) => line.offset(i)!);
    expect(offsets.map((o) => source[o]).join('')).toBe(line.text);
    expect(offsets.every((o, i) => i === 0 || o > offsets[i - 1]!)).toBe(true);
    expect([line.offset(-1), line.offset(line.text.length)]).toEqual([undefined, undefined]);
  });

  it('stops at the end of the instruction', () => {
    const source = 'RUN a \\';
    expect(readLogicalLine(source, 0, source.length, '\\').text).toBe('RUN a \\');
  });
});

describe('a doubled escape character at the end of a line', () => {
  it('is not a continuation (BuildKit: `([^E])E[ \\t]*$|^E[ \\t]*$`)', () => {
    const source = 'RUN echo x \\\\ \nRUN y';
    expect(readLogicalLine(source, 0, source.length, '\\').text).toBe('RUN echo x \\\\ ');
    const alone = 'RUN a \\\n\\\nb';
    expect(readLogicalLine(alone, 0, alone.length, '\\').text).toBe('RUN a b');
  });
});
