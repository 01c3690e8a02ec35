/**
 * The first logical line of an instruction as BuildKit's parser sees it: physical lines joined
 * where they end in the escape character, with comment and blank lines inside the continuation
 * dropped. Every character keeps its offset in the source, so edits computed on the logical
 * text land on the right bytes. Heredoc bodies follow the logical line and are not part of it.
 */
export interface LogicalLine {
  text: string;
  /** `offsets[i]` is the source offset of `text[i]`. */
  offsets: number[];
  /** Source offset just after the last character of the logical line (before its line break). */
  end: number;
}

const BLANK_OR_COMMENT = /^[ \t]*(?:#[^\n]*)?\r?$/;

export function readLogicalLine(src: string, start: number, limit: number, escape: string): LogicalLine {
  let text = '';
  const offsets: number[] = [];
  let end = start;
  let i = start;
  for (;;) {
    const physicalStart = text.length;
    while (i < limit && src[i] !== '\n') {
      text += src[i];
      offsets.push(i);
      i++;
    }
    if (text.length > physicalStart && text.endsWith('\r')) {
      text = text.slice(0, -1);
      offsets.pop();
    }
    end = text.length > 0 ? offsets[offsets.length - 1]! + 1 : start;
    let j = text.length;
    while (j > physicalStart && (text[j - 1] === ' ' || text[j - 1] === '\t')) j--;
    if (j === physicalStart || text[j - 1] !== escape || i >= limit) break;
    // A continuation: drop the escape character and what trails it, then the lines BuildKit skips.
    text = text.slice(0, j - 1);
    offsets.length = j - 1;
    i++;
    while (i < limit) {
      const lineEnd = src.indexOf('\n', i);
      const stop = lineEnd === -1 || lineEnd > limit ? limit : lineEnd;
      if (!BLANK_OR_COMMENT.test(src.slice(i, stop))) break;
      i = stop + 1;
    }
  }
  return { text, offsets, end };
}
