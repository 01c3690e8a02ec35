import type { DockerfileModel, RunNode } from './model.js';
import { basename, shellTokens, type ShellToken, type ShellWord } from '../parse/shell.js';

/** The shell script a RUN runs, lexed into words whose spans are source offsets. */
export interface RunScript {
  kind: 'command-line' | 'heredoc';
  text: string;
  tokens: ShellToken[];
  words: ShellWord[];
  /** Source span of a word (or any `[start, end)` of `text`). */
  sourceSpan: (span: { start: number; end: number }) => { start: number; end: number };
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
  const script = (
    text: string,
    kind: RunScript['kind'],
    sourceStart: number,
    sourceSpan: RunScript['sourceSpan'],
  ): RunScript => {
    const tokens = shellTokens(text);
    const words = tokens.flatMap((token) => (token.kind === 'word' ? [token.word] : []));
    return { kind, text, tokens, words, sourceSpan, sourceStart };
  };
  if (run.form === 'heredoc') {
    const body = run.heredocs[0]!;
    const text = model.source.slice(body.contentStart, body.contentEnd);
    return script(text, 'heredoc', body.contentStart, ({ start, end }) => ({
      start: body.contentStart + start,
      end: body.contentStart + end,
    }));
  }
  const { line, command } = run.node;
  const at = (i: number): number => line.offset(command.argsIndex + i) ?? line.end;
  return script(run.commandText, 'command-line', run.commandStart, ({ start, end }) => ({
    start: at(start),
    end: end > start ? at(end - 1) + 1 : at(start),
  }));
}

/**
 * The source span of a word (or part of one), or undefined when it crosses a line break (a line
 * continuation): replacing it would join two lines.
 */
export function oneLineSpan(
  model: DockerfileModel,
  script: RunScript,
  span: { start: number; end: number },
): { start: number; end: number } | undefined {
  const source = script.sourceSpan(span);
  return model.source.slice(source.start, source.end).includes('\n') ? undefined : source;
}

/** Whether the RUN's text (flags, command, heredoc bodies) contains `text`: a cheap test before lexing. */
export function runMentions(model: DockerfileModel, run: RunNode, text: string | RegExp): boolean {
  const own = model.source.slice(run.node.start, run.node.end);
  return typeof text === 'string' ? own.includes(text) : text.test(own);
}

/** An exec-form RUN's arguments as words (no source spans: exec form is never edited); the first is the command. */
export function execWords(run: RunNode): ShellWord[] {
  return (run.execArgs ?? []).map((value, i) => ({ value, start: 0, end: 0, isCommand: i === 0, isAssignment: false }));
}

/** The shells whose syntax the rules' edits are written in. */
export function isPosixShell(shell: readonly string[]): boolean {
  return ['sh', 'bash', 'dash', 'ash', 'ksh', 'zsh', 'busybox'].includes(basename(shell[0] ?? ''));
}

/**
 * The program and arguments that run the script. BuildKit runs a heredoc whose body starts with
 * `#!` as a file, never through SHELL: there the shebang counts (`#!/usr/bin/env bash` is `bash`).
 */
export function scriptShell(run: RunNode, script: RunScript): readonly string[] {
  return shebangOf(script) ?? run.shell;
}

function shebangOf(script: RunScript): string[] | undefined {
  if (script.kind !== 'heredoc' || !script.text.startsWith('#!')) return undefined;
  const words = script.text
    .slice(2, script.text.search(/\r?\n|$/))
    .trim()
    .split(/[ \t]+/);
  return basename(words[0]!) === 'env' ? words.slice(1) : words;
}

/**
 * Why a rule cannot edit this RUN's script as POSIX shell, or undefined when it can: exec form
 * (`verb` says what the rule would do), a heredoc whose shebang names another program, or (only
 * without a shebang) a SHELL that is not POSIX.
 */
export function whyNotShellEditable(
  run: RunNode,
  script: RunScript | undefined,
  verb: 'edit' | 'guard' = 'edit',
): string | undefined {
  if (!script) return `exec form (JSON) runs no shell to ${verb}`;
  const shebang = shebangOf(script);
  if (shebang) return isPosixShell(shebang) ? undefined : 'the heredoc script is not a shell script';
  return isPosixShell(run.shell) ? undefined : `SHELL ${JSON.stringify(run.shell)} is not a POSIX shell`;
}
