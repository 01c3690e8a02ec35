import { DockerfileError } from './errors.js';
import { heredocsOpened, readHeredocBodies } from './heredoc.js';
import { readLogicalLine } from './logical-line.js';
import { LineIndex } from './source.js';

const INSTRUCTIONS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
const DIRECTIVE = /^#[ \t]*([A-Za-z][A-Za-z0-9]*)[ \t]*=[ \t]*(\S*)[ \t]*\r?$/;
const BLANK_OR_COMMENT = /^[ \t]*(?:#.*)?\r?$/;

export const isInstruction = (keyword: string): boolean => INSTRUCTIONS.has(keyword);

/** The escape character the parser directives at the top of the file choose (default `\`). */
export function escapeDirective(source: string): string {
  const lines = source.replace(/^\uFEFF/, '').split('\n', 16);
  for (const line of lines) {
    const directive = DIRECTIVE.exec(line);
    if (!directive) break;
    if (directive[1]!.toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\')) return directive[2];
  }
  return '\\';
}

/**
 * Checks, in one linear pass and without building a syntax tree, what BuildKit itself would
 * refuse: binary data, unknown instructions, instructions before the first FROM, no FROM at all,
 * unterminated heredocs. Every file is checked this way, also those no rule needs to parse.
 */
export function skimDockerfile(source: string): void {
  const nul = source.indexOf('\0');
  const lines = new LineIndex(source);
  if (nul !== -1) throw new DockerfileError('binary data (NUL byte): not a Dockerfile', lines.positionAt(nul).line + 1);
  const escape = escapeDirective(source);
  let sawFrom = false;
  let line = 0;
  while (line < lines.lineCount) {
    const start = lines.lineStart(line);
    const text = source.slice(start, lines.lineEnd(line)).replace(/^\uFEFF/, '');
    if (BLANK_OR_COMMENT.test(text)) {
      line++;
      continue;
    }
    const logical = readLogicalLine(source, start, source.length, escape);
    const words = logical.text.trimStart().split(/[ \t]+/, 3);
    const keyword = words[0]!.replace(/^\uFEFF/, '').toUpperCase();
    if (!INSTRUCTIONS.has(keyword)) throw new DockerfileError(`unknown instruction "${words[0]}"`, line + 1);
    if (keyword === 'FROM') sawFrom = true;
    else if (!sawFrom && keyword !== 'ARG') throw new DockerfileError(`${keyword} before the first FROM`, line + 1);
    let end = logical.end;
    const trigger = keyword === 'ONBUILD' ? (words[1] ?? '').toUpperCase() : keyword;
    if (HEREDOC_KEYWORDS.has(trigger) && logical.text.includes('<<')) {
      const bodies = readHeredocBodies(source, lines, logical.end, source.length, heredocsOpened(logical.text));
      if (bodies.length > 0) end = bodies[bodies.length - 1]!.contentEnd;
    }
    line = lines.positionAt(end).line + 1;
  }
  if (!sawFrom) throw new DockerfileError('no FROM instruction: not a Dockerfile');
}
