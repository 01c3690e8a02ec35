/**
 * Just enough of POSIX shell lexing to find which commands a RUN runs: words with their offsets,
 * quotes and escapes respected, and which words stand where a command name goes. It never
 * rewrites the script; rules use the offsets to place small edits.
 */
export interface ShellWord {
  /** The word with quotes and escapes removed. */
  value: string;
  start: number;
  end: number;
  /** True when the word is in command position (first word of a simple command). */
  isCommand: boolean;
  /** True for a `NAME=value` word before a command: it sets that command's environment. */
  isAssignment: boolean;
}

/** A control operator: `&&`, `||`, `;;`, `|&`, or one of `;`, `&`, `|`, `(`, `)`, newline. */
export interface ShellOperator {
  value: string;
  start: number;
  end: number;
}

export type ShellToken =
  | {
      kind: 'word';
      word: ShellWord;
      /** where a command name (or a reserved word) may stand */ commandPosition: boolean;
    }
  | { kind: 'operator'; operator: ShellOperator };

const OPERATOR_CHARS = new Set([';', '&', '|', '(', ')', '\n']);
const TWO_CHAR_OPERATORS = new Set(['&&', '||', ';;', '|&']);
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'fi', 'done', 'time']);
/** Commands that run the command named after their options. */
const WRAPPERS = new Set(['env', 'exec', 'sudo', 'nice', 'nohup', 'command']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r';

export function shellWords(text: string): ShellWord[] {
  return shellTokens(text).flatMap((token) => (token.kind === 'word' ? [token.word] : []));
}

/**
 * The script as words and control operators, in order. Comments are skipped; a backslash before
 * a line break (a continued line in a heredoc script) counts as a blank, as in the shell.
 */
export function shellTokens(text: string): ShellToken[] {
  const tokens: ShellToken[] = [];
  let expectCommand = true;
  let afterWrapper = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (isBlank(ch)) {
      i++;
    } else if (ch === '\\' && text[i + 1] === '\n') {
      i += 2;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (OPERATOR_CHARS.has(ch) && !(ch === '&' && text[i + 1] === '>')) {
      const two = text.slice(i, i + 2);
      const value = TWO_CHAR_OPERATORS.has(two) ? two : ch;
      tokens.push({ kind: 'operator', operator: { value, start: i, end: i + value.length } });
      expectCommand = true;
      afterWrapper = false;
      i += value.length;
    } else {
      const word = readWord(text, i);
      i = word.end;
      let isCommand = false;
      const commandPosition = expectCommand;
      const isAssignment = expectCommand && ASSIGNMENT.test(word.value);
      if (expectCommand && !isAssignment && !RESERVED.has(word.value)) {
        if (!(afterWrapper && word.value.startsWith('-'))) {
          isCommand = true;
          afterWrapper = WRAPPERS.has(basename(word.value));
          expectCommand = afterWrapper;
        }
      }
      // (spelled out rather than spread: V8 gives each spread copy a hidden class of its own)
      const { value, start, end } = word;
      tokens.push({ kind: 'word', word: { value, start, end, isCommand, isAssignment }, commandPosition });
    }
  }
  return tokens;
}

function readWord(text: string, start: number): { value: string; start: number; end: number } {
  let value = '';
  let i = start;
  while (i < text.length && !isBlank(text[i])) {
    const c = text[i]!;
    // `2>&1`, `>&2`, `&>file`: the `&` belongs to a redirection, not a control operator
    const redirection =
      c === '&' && (text[i - 1] === '>' || text[i - 1] === '<' || (i === start && text[i + 1] === '>'));
    if (OPERATOR_CHARS.has(c) && !redirection) break;
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const stop = close === -1 ? text.length : close;
      value += text.slice(i + 1, stop);
      i = stop + 1;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i++]!;
      }
      i++;
    } else if (c === '\\' && i + 1 < text.length) {
      if (text[i + 1] !== '\n') value += text[i + 1]!;
      i += 2;
    } else {
      // a run of plain characters at once: words are mostly plain
      let j = i + 1;
      while (j < text.length && !isSpecial(text.charCodeAt(j))) j++;
      value += text.slice(i, j);
      i = j;
    }
  }
  return { value, start, end: Math.min(i, text.length) };
}

/** Characters that end or change a run of plain word characters (blanks, operators, quotes, escape). */
const SPECIAL = new Uint8Array(128);
for (const c of ' \t\r\n;&|()\'"\\') SPECIAL[c.charCodeAt(0)] = 1;
const isSpecial = (code: number): boolean => code < 128 && SPECIAL[code] === 1;

export const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
