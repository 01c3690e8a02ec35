import { addedLines, replaceSpan } from './edits.js';
import { CONTINUING, type ScriptCommands, type ShellCommand } from '../model/command-list.js';
import { DEFAULT_SHELL, type DockerfileModel } from '../model/model.js';
import type { RunScript } from '../model/script.js';
import type { ShellToken, ShellWord } from '../parse/shell.js';
import type { Fix, TextEdit } from '../types.js';

/**
 * The edits that take a command or a word out of a RUN's script while keeping the shell valid.
 * Rules pick what to remove; these helpers decide whether it can go and which bytes go with it
 * (`a && X && b` → `a && b`, `a && X` → `a`, a line of its own in a heredoc script).
 */
export interface CommandRemoval {
  /** The edits that remove every command that could go, or undefined when none could. */
  fix: Fix | undefined;
  removed: ShellCommand[];
  /** The commands left in place, each with the reason. */
  kept: { command: ShellCommand; reason: string }[];
}

interface AndOrList {
  /** First and last token of each `&&`/`||` element, in order. */
  elements: { first: number; last: number }[];
  operators: string[];
  /** The separator tokens around the list (`;`, `&`, a line break), or undefined at either end. */
  before: number | undefined;
  after: number | undefined;
}

/**
 * Removes `commands` from the script, each with the `&&` that joins it to its list (or with its
 * `;`, or its whole line in a heredoc script). The commands are taken to succeed (cleanups such as
 * `rm -rf`), and the rest of the script must run the same commands in the same order with the
 * same exit status, under `shell` (the RUN's SHELL: its `-e` counts). A command is kept (with the
 * reason) when removing it is not clearly safe: nested in a compound command or subshell, in a
 * pipeline, negated, in a list with `||`, run in the background, reading a heredoc, when its
 * removal could change the exit status or where errexit stops the script, or when nothing would
 * be left for the RUN to run.
 */
export function removeCommands(
  model: DockerfileModel,
  parsed: ScriptCommands,
  commands: readonly ShellCommand[],
  shell: readonly string[] = DEFAULT_SHELL,
): CommandRemoval {
  const kept: CommandRemoval['kept'] = [];
  const removable: ShellCommand[] = [];
  for (const command of commands) {
    const reason = whyNotRemovable(parsed, command);
    if (reason) kept.push({ command, reason });
    else removable.push(command);
  }
  const covered = new Set<number>();
  for (const c of removable) for (let t = c.first; t <= c.last; t++) covered.add(t);
  if (!parsed.tokens.some((t, i) => t.kind === 'word' && !covered.has(i))) {
    for (const command of removable) kept.push({ command, reason: 'the RUN would be left with nothing to run' });
    removable.length = 0;
  }
  const lists = new Map<string, { list: AndOrList; indexes: Set<number> }>();
  for (const command of removable) {
    const list = listAround(parsed, command.first);
    const index = list.elements.findIndex((e) => e.first === command.first);
    const key = `${list.elements[0]!.first}`;
    const entry = lists.get(key) ?? { list, indexes: new Set<number>() };
    entry.indexes.add(index);
    lists.set(key, entry);
  }
  const topLevel = topLevelLists(parsed);
  keepErrexitFailures(parsed, topLevel, shell, lists, commands, kept);
  keepExitStatus(parsed, topLevel, shell, lists, commands, kept);
  const spans: (
    | { from: Boundary; to: Boundary; commands: ShellCommand[] }
    | { source: { start: number; end: number }; commands: ShellCommand[] }
  )[] = [];
  for (const { list, indexes } of lists.values()) {
    const members = [...indexes].map((i) => commandAt(commands, list.elements[i]!.first));
    if (indexes.size === list.elements.length) {
      const span = wholeListSpan(parsed, list);
      if (span) spans.push({ ...span, commands: members });
      else
        for (const command of members)
          kept.push({ command, reason: 'its list cannot be taken out of the script cleanly' });
      continue;
    }
    const { elements } = list;
    for (let i = 0; i < elements.length; i++) {
      if (!indexes.has(i)) continue;
      let j = i;
      while (indexes.has(j + 1)) j++;
      const run = [...Array(j - i + 1).keys()].map((k) => commandAt(commands, elements[i + k]!.first));
      const { tokens } = parsed;
      if (j + 1 < elements.length) {
        const span = {
          from: startOf(tokens, elements[i]!.first),
          to: startOf(tokens, elements[j + 1]!.first),
          commands: run,
        };
        spans.push(ownLines(model, parsed, span, elements[j]!.last + 1) ?? span);
      } else {
        spans.push({ from: endOf(tokens, elements[i - 1]!.last), to: endOf(tokens, elements[j]!.last), commands: run });
      }
      i = j;
    }
  }
  const edits = [];
  const removed: ShellCommand[] = [];
  for (const span of spans) {
    const start = 'source' in span ? span.source.start : sourceOffset(parsed.script, span.from);
    const end = 'source' in span ? span.source.end : sourceOffset(parsed.script, span.to);
    if (endsLineWithEscape(model, start, end)) {
      for (const command of span.commands)
        kept.push({ command, reason: 'the line would be left ending in the escape character' });
      continue;
    }
    edits.push(replaceSpan(model, start, end, ''));
    removed.push(...span.commands);
  }
  kept.sort((a, b) => a.command.first - b.command.first);
  return { fix: edits.length > 0 ? fixOf(edits) : undefined, removed, kept };
}

/**
 * Whether removing `[start, end)` would leave its line ending in the escape character, which one
 * reader takes for a line continuation and another (BuildKit, for a doubled one) does not.
 */
function endsLineWithEscape(model: DockerfileModel, start: number, end: number): boolean {
  const { source, lines, escape } = model;
  const rest = source.slice(end, lines.lineEnd(lines.positionAt(end).line));
  if (rest.trim() !== '') return false;
  const before = source.slice(lines.lineStart(lines.positionAt(start).line), start).trimEnd();
  return before.endsWith(escape);
}

/**
 * Commands that start a line of their own and end with `&&` and a line break (`    rm -rf x && \`)
 * go as whole lines, so the comment lines and indentation before the next command stay as they
 * were. Undefined when the removed span does not have that shape.
 */
function ownLines(
  model: DockerfileModel,
  parsed: ScriptCommands,
  span: { from: Boundary; to: Boundary; commands: ShellCommand[] },
  operator: number,
): { source: { start: number; end: number }; commands: ShellCommand[] } | undefined {
  const { source } = model;
  const token = parsed.tokens[operator];
  if (!isOperator(token, '&&')) return undefined;
  const start = sourceOffset(parsed.script, span.from);
  const end = sourceOffset(parsed.script, span.to);
  const opEnd = sourceOffset(parsed.script, endOf(parsed.tokens, operator));
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const lineBreak = source.indexOf('\n', opEnd);
  if (lineBreak === -1 || lineBreak >= end || !/^[ \t]*$/.test(source.slice(lineStart, start))) return undefined;
  const escape = parsed.script.kind === 'command-line' ? model.escape : '\\';
  const rest = source.slice(opEnd, lineBreak).replace(/\r$/, '').trim();
  if (rest !== '' && rest !== escape) return undefined;
  return { source: { start: lineStart, end: lineBreak + 1 }, commands: span.commands };
}

/**
 * With errexit on, the failure of any but the last element of a list is ignored: taking the last
 * ones away would make the element before them stop the script when it fails. So the end of a
 * list stays, unless the list is the script's last (its failure ends the script either way).
 */
function keepErrexitFailures(
  parsed: ScriptCommands,
  topLevel: readonly AndOrList[],
  shell: readonly string[],
  lists: Map<string, { list: AndOrList; indexes: Set<number> }>,
  commands: readonly ShellCommand[],
  kept: CommandRemoval['kept'],
): void {
  const last = topLevel[topLevel.length - 1];
  for (const [key, { list, indexes }] of lists) {
    const n = list.elements.length;
    if (indexes.size === n || !indexes.has(n - 1) || list.elements[0]!.first === last?.elements[0]!.first) continue;
    if (!errexit(parsed, shell, list.elements[0]!.first)) continue;
    for (let i = n - 1; indexes.has(i); i--) {
      indexes.delete(i);
      kept.push({
        command: commandAt(commands, list.elements[i]!.first),
        reason: 'with errexit on, the command before it would then stop the script when it fails',
      });
    }
    if (indexes.size === 0) lists.delete(key);
  }
}

/**
 * The last list of a script gives the RUN its exit status: `a; rm -rf x` passes even when `a`
 * fails, `a` alone does not. Lists removed whole at the end of the script are kept unless the
 * status cannot change: errexit is on (`set -e` before them, or `-e` in SHELL) and what is left
 * last is one simple command, whose failure already ends the script. (`a && rm -rf x` loses only
 * its `&& rm -rf x`, which never changes the status.)
 */
function keepExitStatus(
  parsed: ScriptCommands,
  all: readonly AndOrList[],
  shell: readonly string[],
  lists: Map<string, { list: AndOrList; indexes: Set<number> }>,
  commands: readonly ShellCommand[],
  kept: CommandRemoval['kept'],
): void {
  const whole = (list: AndOrList): boolean =>
    lists.get(`${list.elements[0]!.first}`)?.indexes.size === list.elements.length;
  let group = all.length;
  while (group > 0 && whole(all[group - 1]!)) group--;
  if (group === all.length) return;
  const carrier = all[group - 1];
  // what is left of that list once its own removable elements are gone
  const removed = carrier ? lists.get(`${carrier.elements[0]!.first}`)?.indexes : undefined;
  const remaining = carrier?.elements.filter((_, i) => !removed?.has(i)) ?? [];
  const single = remaining.length === 1 ? remaining[0]! : undefined;
  const simple =
    single !== undefined &&
    parsed.commands.some((c) => c.first === single.first && c.last === single.last && !c.nested);
  if (simple && errexit(parsed, shell, all[group]!.elements[0]!.first)) return;
  for (const list of all.slice(group)) {
    const key = `${list.elements[0]!.first}`;
    const entry = lists.get(key)!;
    for (const i of entry.indexes) {
      kept.push({
        command: commandAt(commands, list.elements[i]!.first),
        reason: "it is the script's last command, whose exit status is the RUN's",
      });
    }
    lists.delete(key);
  }
}

/** The top-level `&&`/`||` lists of the script, in order. */
function topLevelLists(parsed: ScriptCommands): AndOrList[] {
  const lists: AndOrList[] = [];
  for (let i = 0; i < parsed.tokens.length; i++) {
    if (parsed.depths[i] !== 0 || isOperator(parsed.tokens[i], '\n', ';', '&', ';;')) continue;
    const list = listAround(parsed, i);
    if (list.elements.length > 0) lists.push(list);
    i = list.after ?? parsed.tokens.length;
  }
  return lists;
}

/** Whether the shell exits on a failing command at token `before`: `-e` in SHELL, or a top-level `set -e` earlier. */
function errexit(parsed: ScriptCommands, shell: readonly string[], before: number): boolean {
  const flags = (words: readonly string[]): boolean | undefined => {
    let on: boolean | undefined;
    words.forEach((word, i) => {
      if (/^-[a-z]*e[a-z]*$/i.test(word) || (word === '-o' && words[i + 1] === 'errexit')) on = true;
      if (/^\+[a-z]*e[a-z]*$/i.test(word) || (word === '+o' && words[i + 1] === 'errexit')) on = false;
    });
    return on;
  };
  let on = flags(shell.slice(1)) ?? false;
  for (const command of parsed.commands) {
    if (command.first >= before || command.nested || command.words[0]?.value !== 'set') continue;
    on = flags(command.words.slice(1).map((w) => w.value)) ?? on;
  }
  return on;
}

/**
 * Removes one word of a command (an option such as `--no-cache-dir`) with the blanks before it;
 * `previous` is the word before it in the same command.
 */
export function removeWord(model: DockerfileModel, script: RunScript, previous: ShellWord, word: ShellWord): Fix {
  const start = sourceOffset(script, { at: previous.end, side: 'end' });
  const end = sourceOffset(script, { at: word.end, side: 'end' });
  return fixOf([replaceSpan(model, start, end, '')]);
}

function fixOf(edits: TextEdit[]): Fix {
  return { edits, addedLines: addedLines(edits) };
}

const commandAt = (commands: readonly ShellCommand[], first: number): ShellCommand =>
  commands.find((c) => c.first === first)!;

/** A position in the script's text: the start of what follows it, or the end of what precedes it. */
interface Boundary {
  at: number;
  side: 'start' | 'end';
}

const startOf = (tokens: ShellToken[], i: number): Boundary => ({ at: tokenSpan(tokens[i]!).start, side: 'start' });
const endOf = (tokens: ShellToken[], i: number): Boundary => ({ at: tokenSpan(tokens[i]!).end, side: 'end' });
const tokenSpan = (token: ShellToken): { start: number; end: number } =>
  token.kind === 'word' ? token.word : token.operator;

/**
 * A boundary's source offset. On a command line joined from continued lines, the end of a word
 * maps to just after its last character (before any `\` line break), the start of a word to its
 * first character, so a removed span takes the line breaks between them with it.
 */
function sourceOffset(script: RunScript, boundary: Boundary): number {
  const { at, side } = boundary;
  if (side === 'start' || at === 0) return script.sourceSpan({ start: at, end: at }).start;
  return script.sourceSpan({ start: at - 1, end: at }).end;
}

const isOperator = (token: ShellToken | undefined, ...values: string[]): boolean =>
  token?.kind === 'operator' && values.includes(token.operator.value);

function whyNotRemovable(parsed: ScriptCommands, command: ShellCommand): string | undefined {
  if (command.nested) return 'it is inside a compound command or subshell';
  if (command.words.some((w) => /^\d*<<[^<]/.test(parsed.script.text.slice(w.start, w.end))))
    return 'it reads a heredoc';
  const list = listAround(parsed, command.first);
  const element = list.elements.find((e) => e.first <= command.first && command.last <= e.last)!;
  if (element.first !== command.first || element.last !== command.last) {
    const inElement = parsed.tokens.slice(element.first, element.last + 1);
    return inElement.some((t) => isOperator(t, '|', '|&'))
      ? 'it is part of a pipeline'
      : 'it is part of a larger command';
  }
  if (list.operators.includes('||')) return 'it is in a list with ||';
  if (list.after !== undefined && isOperator(parsed.tokens[list.after], '&')) return 'it runs in the background';
  return undefined;
}

/** The `&&`/`||` list (at the top level) that token `at` belongs to. */
function listAround(parsed: ScriptCommands, at: number): AndOrList {
  const { tokens, depths } = parsed;
  const isSeparator = (i: number): boolean => {
    if (depths[i]! > 0) return false;
    const token = tokens[i]!;
    if (isOperator(token, ';', '&', ';;')) return true;
    if (!isOperator(token, '\n')) return false;
    let k = i - 1;
    while (k >= 0 && isOperator(tokens[k], '\n')) k--;
    return k < 0 || !isOperator(tokens[k], ...CONTINUING);
  };
  let before: number | undefined;
  for (let i = at - 1; i >= 0; i--) {
    if (isSeparator(i)) {
      before = i;
      break;
    }
  }
  let after: number | undefined;
  for (let i = at + 1; i < tokens.length; i++) {
    if (isSeparator(i)) {
      after = i;
      break;
    }
  }
  const elements: AndOrList['elements'] = [];
  const operators: string[] = [];
  let first: number | undefined;
  let last = -1;
  const close = (): void => {
    if (first !== undefined) elements.push({ first, last });
    first = undefined;
  };
  for (let i = (before ?? -1) + 1; i < (after ?? tokens.length); i++) {
    const token = tokens[i]!;
    if (
      depths[i] === 0 &&
      token.kind === 'operator' &&
      (token.operator.value === '&&' || token.operator.value === '||')
    ) {
      close();
      operators.push(token.operator.value);
    } else if (!isOperator(token, '\n')) {
      first ??= i;
      last = i;
    }
  }
  close();
  return { elements, operators, before, after };
}

/**
 * Where a list whose every element goes is cut out: with the `;` after it, with the `;` before
 * it, or (in a script of several lines) as whole lines. Undefined when none of these is clean.
 */
function wholeListSpan(parsed: ScriptCommands, list: AndOrList): { from: Boundary; to: Boundary } | undefined {
  const { tokens } = parsed;
  const first = list.elements[0]!.first;
  const last = list.elements[list.elements.length - 1]!.last;
  const { before, after } = list;
  const next = after !== undefined ? after + 1 : undefined;
  if (
    after !== undefined &&
    isOperator(tokens[after], ';') &&
    next! < tokens.length &&
    !isOperator(tokens[next!], '\n')
  ) {
    return { from: startOf(tokens, first), to: startOf(tokens, next!) };
  }
  const lineBefore = before === undefined || isOperator(tokens[before], '\n');
  const semicolonAfter = after !== undefined && isOperator(tokens[after], ';');
  const endAt = semicolonAfter ? next : after;
  const lineAfter = endAt === undefined || endAt >= tokens.length || isOperator(tokens[endAt], '\n');
  if (lineBefore && lineAfter) {
    // whole lines: from the start of the list's first line through the line break after it
    const from: Boundary = before === undefined ? { at: 0, side: 'start' } : endOf(tokens, before);
    if (endAt !== undefined && endAt < tokens.length) return { from, to: endOf(tokens, endAt) };
    if (before !== undefined)
      return { from: startOf(tokens, before), to: { at: parsed.script.text.length, side: 'end' } };
    return undefined;
  }
  if (before !== undefined && isOperator(tokens[before], ';') && before > 0) {
    return { from: endOf(tokens, before - 1), to: semicolonAfter ? endOf(tokens, after) : endOf(tokens, last) };
  }
  return undefined;
}
