import type { LogicalLine } from './logical-line.js';

/**
 * A `--name[=value]` word at the start of an instruction's arguments, unquoted the way BuildKit's
 * `extractBuilderFlags` does it (quotes removed anywhere in the word, the escape character takes
 * the next character literally), with the source offset of every character of the value.
 */
export interface FlagWord {
  name: string;
  value: string | null;
  /** Source offset of each character of `value`. */
  valueOffsets: number[];
  /** Source offsets of the whole word, quotes included. */
  start: number;
  end: number;
  /** Where text appended to the value belongs: inside a quote that wraps the whole value. */
  appendAt: number;
}

export interface CommandLine {
  keyword: string;
  flags: FlagWord[];
  /** Index in the logical text where the instruction's arguments (after its flags) begin. */
  argsIndex: number;
}

const isSpace = (ch: string | undefined): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';

/** Reads the keyword at `from` (after ONBUILD, the trigger's keyword) and the flags after it. */
export function parseCommandLine(line: LogicalLine, escape: string, from = 0): CommandLine {
  const { text } = line;
  let pos = from;
  while (isSpace(text[pos])) pos++;
  const keywordStart = pos;
  while (pos < text.length && !isSpace(text[pos])) pos++;
  const keyword = text.slice(keywordStart, pos).toUpperCase();
  const flags: FlagWord[] = [];
  for (;;) {
    while (isSpace(text[pos])) pos++;
    if (text[pos] !== '-' || text[pos + 1] !== '-') break;
    const word = readFlagWord(line, pos, escape);
    if (word.chars === '--') {
      pos = word.next;
      break;
    }
    flags.push(toFlag(line, word));
    pos = word.next;
  }
  return { keyword, flags, argsIndex: Math.min(pos, text.length) };
}

interface RawWord {
  chars: string;
  charPositions: number[];
  startPos: number;
  next: number;
  /** The last quoted span, by logical positions of its quotes. */
  lastQuote: { open: number; close: number } | undefined;
}

function readFlagWord(line: LogicalLine, startPos: number, escape: string): RawWord {
  const { text } = line;
  let chars = '';
  const charPositions: number[] = [];
  let lastQuote: RawWord['lastQuote'];
  let pos = startPos;
  while (pos < text.length && !isSpace(text[pos])) {
    const ch = text[pos]!;
    if (ch === '"' || ch === "'") {
      const open = pos++;
      while (pos < text.length && text[pos] !== ch) {
        if (text[pos] === escape && pos + 1 < text.length) pos++;
        chars += text[pos]!;
        charPositions.push(pos++);
      }
      lastQuote = { open, close: pos };
      pos++;
      continue;
    }
    if (ch === escape && pos + 1 < text.length) pos++;
    chars += text[pos]!;
    charPositions.push(pos++);
  }
  return { chars, charPositions, startPos, next: pos, lastQuote };
}

function toFlag(line: LogicalLine, word: RawWord): FlagWord {
  const eq = word.chars.indexOf('=');
  const name = (eq === -1 ? word.chars : word.chars.slice(0, eq)).slice(2);
  const valuePositions = eq === -1 ? [] : word.charPositions.slice(eq + 1);
  const endPos = Math.min(word.next, line.text.length) - 1;
  const start = line.offset(word.startPos)!;
  const end = line.offset(endPos)! + 1;
  // `--mount="type=cache,target=/x"`: an appended option must stay inside the quotes.
  const firstValuePos = eq === -1 ? undefined : word.charPositions[eq]! + 1;
  const wrapsValue =
    word.lastQuote !== undefined && word.lastQuote.open === firstValuePos && word.lastQuote.close === endPos;
  return {
    name,
    value: eq === -1 ? null : word.chars.slice(eq + 1),
    valueOffsets: valuePositions.map((p) => line.offset(p)!),
    start,
    end,
    appendAt: wrapsValue ? line.offset(endPos)! : end,
  };
}
