/**
 * BuildKit's parser directives (frontend/dockerfile/parser/directives.go): `#name=value` lines at
 * the top of the file. Reading stops at the first line that is not one, names an unknown one or
 * repeats one, so only the leading lines are read.
 */

const KNOWN = new Set(['syntax', 'check', 'escape']);

export interface ParserDirective {
  /** Lower-cased, as BuildKit compares names. */
  name: string;
  value: string;
  /** Zero-based line. */
  line: number;
}

export interface ParserDirectives {
  directives: ParserDirective[];
  /**
   * A known directive given a second time, where reading stopped: BuildKit's parser refuses the
   * file; DetectSyntax keeps the directives read before it.
   */
  repeated?: ParserDirective;
}

export interface ParserDirectiveOptions {
  /** `#`, or `//` as DetectSyntax also tries. */
  comment?: string;
  /** Where the first line starts (after a byte order mark, which BuildKit drops first). */
  start?: number;
  /** The parser (not DetectSyntax) strips leading whitespace before the comment character. */
  trimLeadingSpace?: boolean;
}

/** Go's unicode.IsSpace. */
const isUnicodeSpace = (c: number): boolean =>
  (c >= 0x09 && c <= 0x0d) ||
  c === 0x20 ||
  c === 0x85 ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000;
/** `\s` of Go's regexp (RE2): ASCII only, without \v. */
const isRegexpSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
const isLetter = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

export function parserDirectives(text: string, options: ParserDirectiveOptions = {}): ParserDirectives {
  const { comment = '#', start = 0, trimLeadingSpace = false } = options;
  const directives: ParserDirective[] = [];
  const seen = new Set<string>();
  let pos = start;
  for (let line = 0; pos < text.length; line++) {
    let i = pos;
    if (trimLeadingSpace) while (i < text.length && text[i] !== '\n' && isUnicodeSpace(text.charCodeAt(i))) i++;
    // Checked before looking for the line's end: a long first line that is not a directive costs nothing.
    if (!text.startsWith(comment, i)) break;
    const newline = text.indexOf('\n', i);
    const lineEnd = newline === -1 ? text.length : newline;
    const directive = readDirective(text, i + comment.length, lineEnd);
    if (!directive || !KNOWN.has(directive.name)) break;
    const found = { ...directive, line };
    if (seen.has(found.name)) return { directives, repeated: found };
    seen.add(found.name);
    directives.push(found);
    pos = lineEnd + 1;
  }
  return { directives };
}

/**
 * BuildKit's `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` on the line after the comment characters
 * and leading whitespace, by hand: the expression in JS backtracks quadratically on long runs of
 * spaces, and its `.` stops at characters Go's does not (CR, U+2028, U+2029).
 */
function readDirective(text: string, from: number, to: number): { name: string; value: string } | undefined {
  // Line breaks are trimmed off the end (the parser's trimNewline).
  while (to > from && text[to - 1] === '\r') to--;
  let i = from;
  while (i < to && isUnicodeSpace(text.charCodeAt(i))) i++;
  const nameStart = i;
  if (i >= to || !isLetter(text.charCodeAt(i))) return undefined;
  while (i < to && (isLetter(text.charCodeAt(i)) || isDigit(text.charCodeAt(i)))) i++;
  const name = text.slice(nameStart, i).toLowerCase();
  while (i < to && isRegexpSpace(text.charCodeAt(i))) i++;
  if (text[i] !== '=' || i >= to) return undefined;
  i++;
  if (i >= to) return undefined;
  let end = to;
  while (end > i && isRegexpSpace(text.charCodeAt(end - 1))) end--;
  // Only spaces after `=`: the lazy `(.+?)` still takes one, the last.
  if (end === i) return { name, value: text.slice(to - 1, to) };
  while (isRegexpSpace(text.charCodeAt(i))) i++;
  return { name, value: text.slice(i, end) };
}
