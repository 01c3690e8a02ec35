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

const OPERATOR_CHARS = new Set([';', '&', '|', '(', ')', '\n']);
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'fi', 'done', 'time']);
/** Commands that run the command named after their options. */
const WRAPPERS = new Set(['env', 'exec', 'sudo', 'nice', 'nohup', 'command']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r';

export function shellWords(text: string): ShellWord[] {
  const words: ShellWord[] = [];
  let expectCommand = true;
  let afterWrapper = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (isBlank(ch)) {
      i++;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (OPERATOR_CHARS.has(ch)) {
      expectCommand = true;
      afterWrapper = false;
      i++;
    } else {
      const word = readWord(text, i);
      i = word.end;
      let isCommand = false;
      const isAssignment = expectCommand && ASSIGNMENT.test(word.value);
      if (expectCommand && !isAssignment && !RESERVED.has(word.value)) {
        if (!(afterWrapper && word.value.startsWith('-'))) {
          isCommand = true;
          afterWrapper = WRAPPERS.has(basename(word.value));
          expectCommand = afterWrapper;
        }
      }
      words.push({ ...word, isCommand, isAssignment });
    }
  }
  return words;
}

function readWord(text: string, start: number): { value: string; start: number; end: number } {
  let value = '';
  let i = start;
  while (i < text.length && !OPERATOR_CHARS.has(text[i]!) && !isBlank(text[i])) {
    const c = text[i]!;
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const stop = close === -1 ? text.length : close;
      value += text.slice(i + 1, stop);
      i = stop + 1;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i++];
      }
      i++;
    } else if (c === '\\' && i + 1 < text.length) {
      if (text[i + 1] !== '\n') value += text[i + 1];
      i += 2;
    } else {
      value += c;
      i++;
    }
  }
  return { value, start, end: Math.min(i, text.length) };
}

export const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
