/**
 * The first logical line of an instruction as BuildKit's parser sees it: physical lines joined
 * where they end in the escape character, with comment and blank lines inside the continuation
 * dropped. Every character keeps its offset in the source, so edits computed on the logical
 * text land on the right bytes. Heredoc bodies follow the logical line and are not part of it.
 */
export class LogicalLine {
  constructor(
    readonly text: string,
    /** Source offset just after the last character of the logical line (before its line break). */
    readonly end: number,
    /** Where each joined piece starts, in the text and in the source (one piece per physical line). */
    private readonly pieces: readonly { text: number; source: number }[],
  ) {}

  /** The source offset of `text[i]` (undefined past the end of the text). */
  offset(i: number): number | undefined {
    if (i < 0 || i >= this.text.length) return undefined;
    // Binary search: the last piece starting at or before i (a linear walk made long continued
    // instructions quadratic, as this runs per word and per flag-value character).
    let lo = 0;
    let hi = this.pieces.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.pieces[mid]!.text <= i) lo = mid;
      else hi = mid - 1;
    }
    const piece = this.pieces[lo]!;
    return piece.source + (i - piece.text);
  }
}

/**
 * A line BuildKit skips: blank or a comment. `[^\n]`, not `.`: in JS `.` stops at a lone CR,
 * U+2028 and U+2029, which Go's parser keeps inside a comment.
 */
export const BLANK_OR_COMMENT = /^[ \t]*(?:#[^\n]*)?\r?$/;

export function readLogicalLine(src: string, start: number, limit: number, escape: string): LogicalLine {
  const parts: string[] = [];
  const pieces: { text: number; source: number }[] = [];
  let length = 0;
  let end = start;
  let i = start;
  for (;;) {
    const newline = src.indexOf('\n', i);
    let stop = newline === -1 || newline > limit ? limit : newline;
    const next = stop;
    if (stop > i && src[stop - 1] === '\r') stop--;
    end = stop > i ? stop : parts.length > 0 ? end : start;
    let j = stop;
    while (j > i && (src[j - 1] === ' ' || src[j - 1] === '\t')) j--;
    // BuildKit: `([^E])E[ \t]*$|^E[ \t]*$` — a doubled escape character ends the line instead.
    const continues = j > i && src[j - 1] === escape && (j - 1 === i || src[j - 2] !== escape) && next < limit;
    // A continuation drops the escape character and what trails it, then the lines BuildKit skips.
    const keep = continues ? j - 1 : stop;
    if (keep > i) {
      pieces.push({ text: length, source: i });
      parts.push(src.slice(i, keep));
      length += keep - i;
    }
    if (!continues) break;
    i = next + 1;
    while (i < limit) {
      const lineEnd = src.indexOf('\n', i);
      const lineStop = lineEnd === -1 || lineEnd > limit ? limit : lineEnd;
      if (!BLANK_OR_COMMENT.test(src.slice(i, lineStop))) break;
      i = lineStop + 1;
    }
    if (i >= limit) break;
  }
  return new LogicalLine(parts.join(''), end, pieces);
}
