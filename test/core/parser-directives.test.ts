import { describe, expect, it } from 'vitest';
import { DockerfileError } from '../../src/core/errors.js';
import { parserDirectives } from '../../src/core/parse/parser-directives.js';
import { rewrite } from '../../src/core/rewrite.js';
import { splitInstructions } from '../../src/core/parse/skim.js';

const escapeOf = (source: string): string => splitInstructions(source).escape;

describe('parser directives, as BuildKit reads them (frontend/dockerfile/parser/directives.go)', () => {
  it('match BuildKit’s expression: any case, no space needed, value trimmed, CR and U+2028 kept inside', () => {
    const read = (text: string) => parserDirectives(text).directives.map((d) => [d.name, d.value, d.line]);
    expect(read('#ESCAPE=`\n# Syntax =  img  --x=y \r\n#\tcheck= a\rb\u2028c \nFROM x\n')).toEqual([
      ['escape', '`', 0],
      ['syntax', 'img  --x=y', 1],
      ['check', 'a\rb\u2028c', 2],
    ]);
    // Only spaces after `=`: the lazy `(.+?)` still takes the last one.
    expect(read('# escape=   \n')).toEqual([['escape', ' ', 0]]);
    expect(read('# escape=\r\n')).toEqual([]);
  });

  it('stop at the first line that is not a known directive, and at a repeated one', () => {
    expect(parserDirectives('# unknown=1\n# escape=`\n').directives).toEqual([]);
    expect(parserDirectives('\n# escape=`\n').directives).toEqual([]);
    expect(parserDirectives('# syntax=a\n# syntax=b\n# escape=`\n')).toEqual({
      directives: [{ name: 'syntax', value: 'a', line: 0 }],
      repeated: { name: 'syntax', value: 'b', line: 1 },
    });
  });

  it('leading whitespace before `#` counts only for the parser (trimLeadingSpace)', () => {
    expect(parserDirectives(' \t# escape=`\n').directives).toEqual([]);
    expect(parserDirectives(' \t# escape=`\n', { trimLeadingSpace: true }).directives).toEqual([
      { name: 'escape', value: '`', line: 0 },
    ]);
  });
});

describe('the escape directive the splitter uses', () => {
  it('is not read past an unknown directive (BuildKit stops there)', () => {
    expect(escapeOf('# key=value\n# escape=`\nFROM x\n')).toBe('\\');
    expect(escapeOf('#!/usr/bin/env buildctl\n# escape=`\nFROM x\n')).toBe('\\');
  });

  it('is read after a BOM, indented, and after other known directives', () => {
    expect(escapeOf('\uFEFF  # syntax=img\n\t#escape = ` \r\nFROM x\n')).toBe('`');
  });

  it('a repeated directive or an escape other than \\ and ` is refused, as BuildKit refuses it', () => {
    expect(() => escapeOf('# escape=`\n# escape=`\nFROM x\n')).toThrow(
      new DockerfileError('only one escape parser directive can be used', 2),
    );
    expect(() => escapeOf('# syntax=a\n# syntax=a\nFROM x\n')).toThrow(/only one syntax parser directive/);
    expect(() => escapeOf('# escape=x\nFROM x\n')).toThrow(/invalid escape token 'x'/);
    expect(() => escapeOf('FROM x\n')).not.toThrow();
  });
});

describe('comment lines the splitter skips', () => {
  it.each(['# a\rb', '# a\u2028b', '# a\u2029b'])('%j (JS `.` stops there, Go’s does not)', (comment) => {
    expect(rewrite(`FROM x\n${comment}\nRUN true\n`).changed).toBe(false);
    expect(rewrite(`${comment}\nFROM x\n`).changed).toBe(false);
  });
});
