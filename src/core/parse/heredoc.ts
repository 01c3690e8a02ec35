import { DockerfileError } from '../errors.js';
import type { LineIndex } from './source.js';
import { shellWords } from './shell.js';

export interface HeredocBody {
  name: string;
  /** Offsets of the body: from the line after the previous one to the start of its terminator line. */
  contentStart: number;
  contentEnd: number;
}

/** `<<EOF`, `<<-EOF`, `<<"EOF"`, `5<<EOF`, as BuildKit's ParseHeredoc reads a word. */
const HEREDOC_WORD = /^\d*<<(-?)(["']?)([^<"']+)\2$/;

/** The heredocs a logical line opens, in order. */
export function heredocsOpened(args: string): { name: string; chomp: boolean }[] {
  const opened: { name: string; chomp: boolean }[] = [];
  for (const word of shellWords(args)) {
    const match = HEREDOC_WORD.exec(args.slice(word.start, word.end));
    if (match) opened.push({ name: match[3]!, chomp: match[1] === '-' });
  }
  return opened;
}

/**
 * Finds the bodies of the heredocs an instruction opens, as BuildKit reads them: line after line
 * from the end of the logical line, each body ending at a line equal to its name (leading tabs
 * removed for `<<-`).
 */
export function readHeredocBodies(
  source: string,
  lines: LineIndex,
  logicalEnd: number,
  instructionEnd: number,
  opened: { name: string; chomp: boolean }[],
): HeredocBody[] {
  const bodies: HeredocBody[] = [];
  let line = lines.positionAt(logicalEnd).line + 1;
  for (const { name, chomp } of opened) {
    const contentStart = lines.lineStart(line);
    let found = false;
    for (; line < lines.lineCount && lines.lineStart(line) <= instructionEnd; line++) {
      let text = source.slice(lines.lineStart(line), lines.lineEnd(line));
      if (chomp) text = text.replace(/^\t+/, '');
      if (text === name) {
        bodies.push({ name, contentStart, contentEnd: lines.lineStart(line) });
        line++;
        found = true;
        break;
      }
    }
    if (!found) throw new DockerfileError(`unterminated heredoc <<${name}`, lines.positionAt(logicalEnd).line + 1);
  }
  return bodies;
}
