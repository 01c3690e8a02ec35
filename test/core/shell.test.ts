import { describe, expect, it } from 'vitest';
import { shellWords } from '../../src/core/parse/shell.js';

const commands = (script: string): string[] =>
  shellWords(script)
    .filter((w) => w.isCommand)
    .map((w) => w.value);

describe('shell words', () => {
  it('finds the commands of lists, pipelines, subshells and compound commands', () => {
    expect(commands('a x && b y || c; d | e & (f) ; if g; then h; fi')).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
      'g',
      'h',
    ]);
  });

  it('looks through assignments and wrappers (env, exec, sudo) to the command they run', () => {
    expect(commands('A=1 B="2 3" uv sync')).toEqual(['uv']);
    expect(commands('env -i A=1 uv sync && exec uv run x')).toEqual(['env', 'uv', 'exec', 'uv']);
    const words = shellWords('A=1 uv sync');
    expect(words[0]).toMatchObject({ isAssignment: true, value: 'A=1' });
  });

  it('removes quotes and escapes from values, keeps spans on the source text', () => {
    const script = `echo 'a b' "c\\"d" e\\ f`;
    const words = shellWords(script);
    expect(words.map((w) => w.value)).toEqual(['echo', 'a b', 'c"d', 'e f']);
    expect(words.map((w) => script.slice(w.start, w.end))).toEqual(['echo', "'a b'", '"c\\"d"', 'e\\ f']);
  });

  it('ignores comments and reads several lines (heredoc scripts)', () => {
    expect(commands('# uv sync\nset -e\nuv sync # later\n')).toEqual(['set', 'uv']);
  });
});
