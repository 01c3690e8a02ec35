import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/core/fix/apply.js';
import { removeCommands, removeWord } from '../../src/core/fix/remove-command.js';
import { commandName, scriptCommands } from '../../src/core/model/command-list.js';
import { buildModel } from '../../src/core/model/model.js';
import { runScript } from '../../src/core/model/script.js';

/** Removes every `rm` command of the file's last RUN; the new file and the reasons for what stayed. */
function removeRm(source: string): { output: string; kept: string[]; addedLines: number } {
  const model = buildModel(source);
  const run = model.runs[model.runs.length - 1]!;
  const parsed = scriptCommands(runScript(model, run)!);
  const targets = parsed.commands.filter((c) => c.words[commandName(c)]?.value === 'rm');
  const removal = removeCommands(model, parsed, targets);
  return {
    output: removal.fix ? applyEdits(source, removal.fix.edits) : source,
    kept: removal.kept.map((k) => k.reason),
    addedLines: removal.fix?.addedLines ?? 0,
  };
}

const RUN = (script: string): string => `FROM x\nRUN ${script}\n`;

describe('removeCommands on a command line', () => {
  const table: [string, string, string][] = [
    ['a && rm -rf x && b', 'a && b', 'in the middle'],
    ['a && rm -rf x', 'a', 'at the end, with its &&'],
    ['rm -rf x && b', 'b', 'at the start'],
    ['a && rm -rf x && rm y && b', 'a && b', 'two in a row'],
    ['a && rm x && b && rm y', 'a && b', 'two apart, the last at the end'],
    ['a; rm x; b', 'a; b', 'a list of its own between semicolons'],
    ['set -e; a; rm x', 'set -e; a', 'a list of its own at the end, with errexit on'],
    ['a 2>&1 && rm -rf x && b >&2', 'a 2>&1 && b >&2', 'redirections with & are not background operators'],
    ['sudo rm -rf x && b', 'b', 'through a wrapper'],
    ['A=1 rm -rf x && b', 'b', 'with an assignment'],
  ];
  for (const [script, expected, name] of table) {
    it(name, () => {
      const result = removeRm(RUN(script));
      expect(result.output).toBe(RUN(expected));
      expect(result.kept).toEqual([]);
    });
  }

  const refused: [string, string][] = [
    ['a | rm x && b', 'pipeline'],
    ['rm x | b', 'pipeline'],
    ['a || rm x', '||'],
    ['rm x || true', '||'],
    ['a && rm x || b', '||'],
    ['(a && rm x) && b', 'compound command or subshell'],
    ['if a; then rm x; fi && b', 'compound command or subshell'],
    ['{ rm x; } && b', 'compound command or subshell'],
    ['for f in a; do rm $f; done', 'compound command or subshell'],
    ['case a in a) rm x;; esac && b', 'compound command or subshell'],
    ['! rm x && b', 'larger command'],
    ['rm x & b', 'background'],
    ['rm -rf x', 'nothing to run'],
    ['rm x && rm y', 'nothing to run'],
    ['cat <<EOF > x && rm y', ''],
    ['a; rm x', 'exit status'],
    ['set -e; a && b; rm x', 'exit status'],
    ['set -e; set +e; a; rm x', 'exit status'],
  ];
  for (const [script, reason] of refused) {
    it(`keeps: ${script}`, () => {
      const source = script.includes('<<EOF') ? `FROM x\nRUN rm <<EOF > x && b\nbody\nEOF\n` : RUN(script);
      const result = removeRm(source);
      expect(result.output).toBe(source);
      expect(result.kept.join('; ')).toContain(reason || 'heredoc');
    });
  }

  it('takes the continuation lines of a removed command with it', () => {
    const source = 'FROM x\nRUN a && \\\n    rm -rf x && \\\n    b\n';
    expect(removeRm(source)).toMatchObject({ output: 'FROM x\nRUN a && \\\n    b\n', addedLines: -1 });
    const last = 'FROM x\nRUN a && \\\n    b \\\n    && rm -rf x\n';
    expect(removeRm(last)).toMatchObject({ output: 'FROM x\nRUN a && \\\n    b\n', addedLines: -1 });
    const crlf = 'FROM x\r\nRUN a && \\\r\n    rm -rf x && \\\r\n    b\r\n';
    expect(removeRm(crlf).output).toBe('FROM x\r\nRUN a && \\\r\n    b\r\n');
    const backtick = '# escape=`\nFROM x\nRUN a && `\n  rm -rf x\nRUN b\n';
    expect(removeRm(backtick).output).toBe(backtick);
    const model = buildModel(backtick);
    const parsed = scriptCommands(runScript(model, model.runs[0]!)!);
    const removal = removeCommands(
      model,
      parsed,
      parsed.commands.filter((c) => c.words[0]!.value === 'rm'),
    );
    expect(applyEdits(backtick, removal.fix!.edits)).toBe('# escape=`\nFROM x\nRUN a\nRUN b\n');
  });

  it('a word goes with the blanks and line breaks before it', () => {
    const source = 'FROM x\nRUN pip install --no-cache-dir \\\n  -r req.txt && pip install \\\n    --no-cache-dir y\n';
    const model = buildModel(source);
    const script = runScript(model, model.runs[0]!)!;
    const parsed = scriptCommands(script);
    const flags = parsed.commands.flatMap((c) =>
      c.words.flatMap((w, i) => (w.value === '--no-cache-dir' ? [[c.words[i - 1]!, w] as const] : [])),
    );
    const edits = flags.flatMap(([prev, word]) => removeWord(model, script, prev, word).edits);
    expect(applyEdits(source, edits)).toBe('FROM x\nRUN pip install \\\n  -r req.txt && pip install y\n');
    expect(removeWord(model, script, flags[1]![0], flags[1]![1]).addedLines).toBe(-1);
  });
});

describe('removeCommands in a heredoc script', () => {
  const heredoc = (...body: string[]): string => `FROM x\nRUN <<EOF\n${body.map((l) => `${l}\n`).join('')}EOF\n`;
  const table: [string[], string[], string][] = [
    [['set -e', 'rm -rf x', 'b'], ['set -e', 'b'], 'a line of its own'],
    [['set -e', '  rm -rf x # clean', 'b'], ['set -e', 'b'], 'indented, with a comment'],
    [['set -e', 'rm -rf x;', 'b'], ['set -e', 'b'], 'with a semicolon'],
    [['a &&', '  rm -rf x &&', '  b'], ['a &&', '  b'], 'a line of an && list'],
    [['a && \\', '  rm -rf x', 'b'], ['a', 'b'], 'the end of a continued && list'],
    [['a', 'rm -rf x && \\', '  rm -rf y', 'b'], ['a', 'b'], 'a list of two removed commands on two lines'],
    [['a; rm x; b'], ['a; b'], 'between semicolons'],
    [['set -e', 'b', 'rm -rf x'], ['set -e', 'b'], 'the last line, with errexit on'],
  ];
  for (const [body, expected, name] of table) {
    it(name, () => {
      const result = removeRm(heredoc(...body));
      expect(result.kept).toEqual([]);
      expect(result.output).toBe(heredoc(...expected));
    });
  }

  it('the last line without a line break before the terminator', () => {
    const source = 'FROM x\nRUN <<EOF\nset -eu\nb\nrm -rf x\nEOF\n';
    expect(removeRm(source).output).toBe('FROM x\nRUN <<EOF\nset -eu\nb\nEOF\n');
  });

  it('keeps what is in a pipeline or a compound command, and a script that would be empty', () => {
    for (const body of [
      ['a | rm x'],
      ['if a; then', '  rm x', 'fi'],
      ['rm -rf x'],
      ['# only', 'rm x'],
      ['a', 'rm -rf x'],
      ['set -e', 'a | b', 'rm x'],
    ]) {
      const source = heredoc(...body);
      expect(removeRm(source).output).toBe(source);
    }
  });
});
