import { describe, expect, it } from 'vitest';
import { scriptCommands } from '../../src/core/model/command-list.js';
import { buildModel } from '../../src/core/model/model.js';
import { runScript } from '../../src/core/model/script.js';
import { shellTokens, shellWords } from '../../src/core/parse/shell.js';

const tokens = (script: string): string[] =>
  shellTokens(script).map((t) =>
    t.kind === 'word' ? t.word.value : `<${t.operator.value === '\n' ? 'NL' : t.operator.value}>`,
  );

describe('shell tokens', () => {
  it('reads two-character operators as one', () => {
    expect(tokens('a && b || c; d | e |& f ;; g & h')).toEqual([
      'a',
      '<&&>',
      'b',
      '<||>',
      'c',
      '<;>',
      'd',
      '<|>',
      'e',
      '<|&>',
      'f',
      '<;;>',
      'g',
      '<&>',
      'h',
    ]);
  });

  it('keeps the & of a redirection in its word', () => {
    expect(tokens('a 2>&1 >&2 &>/dev/null <&3 && b')).toEqual(['a', '2>&1', '>&2', '&>/dev/null', '<&3', '<&&>', 'b']);
    expect(
      shellWords('a 2>&1 && b')
        .filter((w) => w.isCommand)
        .map((w) => w.value),
    ).toEqual(['a', 'b']);
  });

  it('a backslash before a line break continues the line; a bare line break is an operator', () => {
    expect(tokens('a && \\\n  b\nc')).toEqual(['a', '<&&>', 'b', '<NL>', 'c']);
    expect(shellWords('a \\\n  b').map((w) => w.value)).toEqual(['a', 'b']);
  });

  it('marks where a command name may stand', () => {
    const positions = shellTokens('if a; then A=1 b c; fi').flatMap((t) =>
      t.kind === 'word' ? [`${t.word.value}:${t.commandPosition}`] : [],
    );
    expect(positions).toEqual(['if:true', 'a:true', 'then:true', 'A=1:true', 'b:true', 'c:false', 'fi:true']);
  });
});

describe('script commands', () => {
  const commands = (script: string): string[] => {
    const model = buildModel(`FROM x\nRUN ${script}\n`);
    return scriptCommands(runScript(model, model.runs[0]!)!).commands.map(
      (c) => `${c.words.map((w) => w.value).join(' ')}${c.nested ? ' (nested)' : ''}`,
    );
  };

  it('splits simple commands and marks those inside compound commands and subshells', () => {
    expect(
      commands('a x && (b; c) || if d; then e; fi; { f; }; for i in 1 2; do g; done; case $x in y) h;; esac; k'),
    ).toEqual([
      'a x',
      'b (nested)',
      'c (nested)',
      'd (nested)',
      'e (nested)',
      'f (nested)',
      'i in 1 2 (nested)',
      'g (nested)',
      '$x in y (nested)',
      'h (nested)',
      'k',
    ]);
  });

  it('a reserved word is only reserved where a command name goes', () => {
    expect(commands('echo if } done && b')).toEqual(['echo if } done', 'b']);
  });
});
