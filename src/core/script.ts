import type { DockerfileModel, RunNode } from './model.js';
import { shellWords, type ShellWord } from './shell.js';

/** The shell script a RUN runs, lexed into words whose spans are source offsets. */
export interface RunScript {
  kind: 'command-line' | 'heredoc';
  text: string;
  words: ShellWord[];
  /** Source span of a word (or any `[start, end)` of `text`). */
  sourceSpan(span: { start: number; end: number }): { start: number; end: number };
  /** Source offset where the script's text starts. */
  sourceStart: number;
}

/**
 * Shell form: the command on the logical line. Heredoc form (`RUN <<EOF`): the heredoc body.
 * Exec form runs no shell: undefined.
 */
export function runScript(model: DockerfileModel, run: RunNode): RunScript | undefined {
  if (run.form === 'exec') return undefined;
  if (run.form === 'heredoc') {
    const body = run.heredocs[0]!;
    const text = model.source.slice(body.contentStart, body.contentEnd);
    return {
      kind: 'heredoc',
      text,
      words: shellWords(text),
      sourceSpan: ({ start, end }) => ({ start: body.contentStart + start, end: body.contentStart + end }),
      sourceStart: body.contentStart,
    };
  }
  const { line, command } = run.node;
  const at = (i: number): number => line.offsets[command.argsIndex + i] ?? line.end;
  return {
    kind: 'command-line',
    text: run.commandText,
    words: shellWords(run.commandText),
    sourceSpan: ({ start, end }) => ({ start: at(start), end: end > start ? at(end - 1) + 1 : at(start) }),
    sourceStart: run.commandStart,
  };
}

/** Whether the RUN's text (flags, command, heredoc bodies) contains `text`: a cheap test before lexing. */
export function runMentions(model: DockerfileModel, run: RunNode, text: string): boolean {
  return model.source.slice(run.node.start, run.node.end).includes(text);
}
