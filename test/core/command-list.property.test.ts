import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/core/fix/apply.js';
import { removeCommands } from '../../src/core/fix/remove-command.js';
import { commandName, scriptCommands } from '../../src/core/model/command-list.js';
import { buildModel } from '../../src/core/model/model.js';
import { runScript } from '../../src/core/model/script.js';

/**
 * removeCommands checked against a real shell: scripts made of stand-in commands (`ok1`, `ok2`,
 * `bad` fails, `rm` is the cleanup), with lists, pipelines, compound commands, `set -e` and
 * continued lines. Removing every `rm` that can go must leave a script that parses and runs the
 * same other commands in the same order, with the same exit status.
 */
const PRELUDE = 'ok1() { echo ok1; }; ok2() { echo ok2; }; bad() { echo bad; return 1; }; rm() { echo rm; }\n';

const simple = fc.constantFrom('ok1', 'ok2', 'bad', 'rm -rf /c/x', 'rm -rf /c/x', 'rm -rf /c/x');
const pipeline = fc.oneof(
  { weight: 5, arbitrary: simple },
  { weight: 1, arbitrary: fc.tuple(simple, simple).map(([a, b]) => `${a} | ${b}`) },
);
const andOr = fc
  .tuple(pipeline, fc.array(fc.tuple(fc.constantFrom(' && ', ' && ', ' && ', ' || '), pipeline), { maxLength: 3 }))
  .map(([first, rest]) => first + rest.map(([op, p]) => op + p).join(''));
const compound = andOr.chain((inner) => fc.constantFrom(`{ ${inner}; }`, `( ${inner} )`, `if ok1; then ${inner}; fi`));
const statement = fc.oneof(
  { weight: 6, arbitrary: andOr },
  { weight: 1, arbitrary: compound },
  { weight: 1, arbitrary: fc.constantFrom('set -e', 'set +e', '! bad', 'ok1 # rm -rf /c/x') },
);

interface Script {
  body: string[];
  errexit: boolean;
}
const script = fc.record({ body: fc.array(statement, { minLength: 1, maxLength: 4 }), errexit: fc.boolean() });

/** Command-line form: statements joined by `;`, some `&& ` split onto a continued line. */
function commandLine(s: Script, split: number): string {
  let text = [...(s.errexit ? ['set -e'] : []), ...s.body].join('; ');
  if (split === 1) text = text.replace(/&& /g, '&& \\\n    ');
  if (split === 2) text = text.replace(/&& /g, '&& \\\n    # note\n    ');
  return `FROM x\nRUN ${text}\n`;
}

function heredoc(s: Script): string {
  return `FROM x\nRUN <<EOF\n${[...(s.errexit ? ['set -e'] : []), ...s.body].join('\n')}\nEOF\n`;
}

function shellText(dockerfile: string): string {
  const model = buildModel(dockerfile);
  return runScript(model, model.runs[0]!)!.text;
}

function run(text: string): { trace: string; code: number } {
  try {
    return { trace: execFileSync('sh', ['-c', PRELUDE + text], { encoding: 'utf8' }), code: 0 };
  } catch (error) {
    const e = error as { status: number; stdout: string };
    return { trace: e.stdout, code: e.status };
  }
}

function removeAllRm(dockerfile: string): string {
  const model = buildModel(dockerfile);
  const parsed = scriptCommands(runScript(model, model.runs[0]!)!);
  const targets = parsed.commands.filter((c) => c.words[commandName(c)]?.value === 'rm');
  const removal = removeCommands(model, parsed, targets);
  return removal.fix ? applyEdits(dockerfile, removal.fix.edits) : dockerfile;
}

const withoutRm = (trace: string): string =>
  trace
    .split('\n')
    .filter((l) => l !== 'rm')
    .join('\n');

describe('removeCommands keeps what the script does (real sh)', () => {
  const check = (dockerfile: string): boolean => {
    const before = run(shellText(dockerfile));
    const output = removeAllRm(dockerfile);
    const text = shellText(output);
    execFileSync('sh', ['-n', '-c', text]); // parses
    const after = run(text);
    expect({ trace: withoutRm(after.trace), code: after.code }).toEqual({
      trace: withoutRm(before.trace),
      code: before.code,
    });
    expect(removeAllRm(output)).toBe(output); // nothing more to remove the second time
    return output !== dockerfile;
  };

  it('command lines, with and without continued lines and comment lines between them', () => {
    let changed = 0;
    fc.assert(
      fc.property(script, fc.integer({ min: 0, max: 2 }), (s, split) => {
        if (check(commandLine(s, split))) changed++;
      }),
      { numRuns: 250, seed: 10 },
    );
    expect(changed).toBeGreaterThan(50);
  }, 30_000);

  it('heredoc scripts', () => {
    let changed = 0;
    fc.assert(
      fc.property(script, (s) => {
        if (check(heredoc(s))) changed++;
      }),
      { numRuns: 250, seed: 11 },
    );
    expect(changed).toBeGreaterThan(50);
  }, 30_000);
});
