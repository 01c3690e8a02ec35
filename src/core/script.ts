import type { DockerfileModel, RunNode } from './model.js';
import { shellTokens, type ShellToken, type ShellWord } from './shell.js';

/** The shell script a RUN runs, lexed into words whose spans are source offsets. */
export interface RunScript {
  kind: 'command-line' | 'heredoc';
  text: string;
  tokens: ShellToken[];
  words: ShellWord[];
  /** Source span of a word (or any `[start, end)` of `text`). */
  sourceSpan(span: { start: number; end: number }): { start: number; end: number };
  /** Source offset where the script's text starts. */
  sourceStart: number;
}

/** Several rules read the same RUN's script: it is lexed once per model. */
const scripts = new WeakMap<RunNode, RunScript | null>();

/**
 * Shell form: the command on the logical line. Heredoc form (`RUN <<EOF`): the heredoc body.
 * Exec form runs no shell: undefined.
 */
export function runScript(model: DockerfileModel, run: RunNode): RunScript | undefined {
  let script = scripts.get(run);
  if (script === undefined) scripts.set(run, (script = lex(model, run) ?? null));
  return script ?? undefined;
}

function lex(model: DockerfileModel, run: RunNode): RunScript | undefined {
  if (run.form === 'exec') return undefined;
  const script = (text: string, kind: RunScript['kind'], sourceStart: number, sourceSpan: RunScript['sourceSpan']): RunScript => {
    const tokens = shellTokens(text);
    const words = tokens.flatMap((token) => (token.kind === 'word' ? [token.word] : []));
    return { kind, text, tokens, words, sourceSpan, sourceStart };
  };
  if (run.form === 'heredoc') {
    const body = run.heredocs[0]!;
    const text = model.source.slice(body.contentStart, body.contentEnd);
    return script(text, 'heredoc', body.contentStart, ({ start, end }) => ({ start: body.contentStart + start, end: body.contentStart + end }));
  }
  const { line, command } = run.node;
  const at = (i: number): number => line.offset(command.argsIndex + i) ?? line.end;
  return script(run.commandText, 'command-line', run.commandStart, ({ start, end }) => ({
    start: at(start),
    end: end > start ? at(end - 1) + 1 : at(start),
  }));
}

/** Whether the RUN's text (flags, command, heredoc bodies) contains `text`: a cheap test before lexing. */
export function runMentions(model: DockerfileModel, run: RunNode, text: string | RegExp): boolean {
  const own = model.source.slice(run.node.start, run.node.end);
  return typeof text === 'string' ? own.includes(text) : text.test(own);
}
