import { DockerfileError } from '../errors.js';
import { heredocsOpened, readHeredocBodies, type HeredocBody } from './heredoc.js';
import { BLANK_OR_COMMENT, readLogicalLine, type LogicalLine } from './logical-line.js';
import { parserDirectives } from './parser-directives.js';
import { LineIndex } from './source.js';

const INSTRUCTIONS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);

/**
 * The escape character the parser directives choose (default `\`). BuildKit's parser refuses a
 * repeated directive and an escape character other than `\` and `` ` ``.
 */
function escapeDirective(source: string): string {
  const { directives, repeated } = parserDirectives(source, {
    start: source.startsWith('\uFEFF') ? 1 : 0,
    trimLeadingSpace: true,
  });
  const escape = directives.find((d) => d.name === 'escape');
  if (escape && escape.value !== '`' && escape.value !== '\\') {
    // BuildKit's message, with a long value cut short.
    const shown = escape.value.length > 20 ? `${escape.value.slice(0, 20)}…` : escape.value;
    throw new DockerfileError(`invalid escape token '${shown}' does not match \` or \\`, escape.line + 1);
  }
  if (repeated) throw new DockerfileError(`only one ${repeated.name} parser directive can be used`, repeated.line + 1);
  return escape?.value ?? '\\';
}

/** An instruction as BuildKit's parser delimits it: its first logical line and its heredoc bodies. */
export interface RawInstruction {
  /** Offset of the keyword. */
  start: number;
  /** Offset of the end of its last line (the last heredoc terminator, or the logical line). */
  end: number;
  line: LogicalLine;
  /** Upper-cased keyword (ONBUILD for ONBUILD, whatever it triggers). */
  keyword: string;
  heredocs: HeredocBody[];
}

/**
 * Splits a Dockerfile into instructions the way BuildKit's parser does, in one linear pass,
 * and refuses what BuildKit itself would refuse: binary data, unknown instructions, instructions
 * before the first FROM, no FROM at all, unterminated heredocs.
 */
export function splitInstructions(
  source: string,
  lines = new LineIndex(source),
): { escape: string; instructions: RawInstruction[] } {
  const nul = source.indexOf('\0');
  if (nul !== -1) throw new DockerfileError('binary data (NUL byte): not a Dockerfile', lines.positionAt(nul).line + 1);
  const escape = escapeDirective(source);
  const instructions: RawInstruction[] = [];
  let sawFrom = false;
  let line = 0;
  while (line < lines.lineCount) {
    let start = lines.lineStart(line);
    const text = source.slice(start, lines.lineEnd(line));
    if (BLANK_OR_COMMENT.test(text.replace(/^\uFEFF/, ''))) {
      line++;
      continue;
    }
    if (source[start] === '\uFEFF') start++;
    while (source[start] === ' ' || source[start] === '\t') start++;
    const logical = readLogicalLine(source, start, source.length, escape);
    const words = logical.text.split(/[ \t]+/, 3);
    const name = words[0]!;
    const keyword = name.toUpperCase();
    if (!INSTRUCTIONS.has(keyword)) throw new DockerfileError(`unknown instruction "${name}"`, line + 1);
    if (keyword === 'FROM') sawFrom = true;
    else if (!sawFrom && keyword !== 'ARG') throw new DockerfileError(`${keyword} before the first FROM`, line + 1);
    let end = logical.end;
    let heredocs: HeredocBody[] = [];
    const trigger = keyword === 'ONBUILD' ? (words[1] ?? '').toUpperCase() : keyword;
    if (HEREDOC_KEYWORDS.has(trigger) && logical.text.includes('<<')) {
      heredocs = readHeredocBodies(source, lines, logical.end, source.length, heredocsOpened(logical.text));
      if (heredocs.length > 0) end = lines.lineEnd(lines.positionAt(heredocs[heredocs.length - 1]!.contentEnd).line);
    }
    instructions.push({ start, end, line: logical, keyword, heredocs });
    line = lines.positionAt(end).line + 1;
  }
  if (!sawFrom) throw new DockerfileError('no FROM instruction: not a Dockerfile');
  return { escape, instructions };
}

/** The checks of `splitInstructions`, for a file no rule needs to look into. */
export function skimDockerfile(source: string): void {
  splitInstructions(source);
}
