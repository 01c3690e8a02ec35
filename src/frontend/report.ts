/** What the user is told: the name of the vertex carrying the rewritten file, and warnings. */
import type { Finding, Position } from '../core/types.js';
import type { WarnRequest } from './gateway-messages.js';
import type { DockerfileSource } from './dockerfile-source.js';

const MAX_LISTED = 8;
const MAX_REASON = 160;

/** The name of the vertex that carries the Dockerfile passed to the upstream. */
export function vertexName(summary: string): string {
  return `[dfrewrite] ${summary}`;
}

/** What was done, e.g. `2 fixes: cache-mount-sharing line 7, uv-emulated-bytecode line 12`. */
export function summaryOf(findings: Finding[]): string {
  const fixed = findings.filter((f) => f.fixed);
  const unfixed = findings.filter((f) => !f.fixed);
  const parts = [fixed.length > 0 ? `${count(fixed.length, 'fix', 'fixes')}: ${list(fixed)}` : 'no changes'];
  if (unfixed.length > 0) parts.push(`${unfixed.length} not fixed: ${list(unfixed)}`);
  return parts.join('; ');
}

/** Why the file is passed on as it was, e.g. the engine's error. */
export function notRewritten(reason: string): string {
  const oneLine = reason.split('\n', 1)[0]!.trim();
  const short = oneLine.length > MAX_REASON ? `${oneLine.slice(0, MAX_REASON - 1)}…` : oneLine;
  return `not rewritten: ${short}`;
}

/**
 * One warning per finding, at its range in the user's file (which it shows, unchanged). The
 * engine's message says what is wrong; the suffix says whether the build already has the fix.
 */
export function findingWarnings(
  findings: Finding[],
  source: DockerfileSource,
  vertexDigest: string,
): WarnRequest[] {
  const lines = source.data.toString('utf8').split('\n');
  return findings.map((f) => ({
    digest: vertexDigest,
    level: 1,
    short: `${f.ruleId}: ${f.message} (line ${f.range.start.line + 1}; ${outcome(f)})`,
    detail: [],
    url: f.url,
    info: { filename: source.filename, data: source.data, definition: source.definition, language: 'Dockerfile' },
    ranges: [{ start: oneBased(f.range.start), end: inclusiveEnd(f.range.start, f.range.end, lines) }],
  }));
}

function outcome(f: Finding): string {
  if (f.fixed) return 'fixed by dfrewrite';
  return f.fix?.level === 'suggested' ? 'suggested fix: --apply-suggested' : 'not fixed';
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function list(findings: Finding[]): string {
  const shown = findings.slice(0, MAX_LISTED).map((f) => `${f.ruleId} line ${f.range.start.line + 1}`);
  if (findings.length > MAX_LISTED) shown.push(`${findings.length - MAX_LISTED} more`);
  return shown.join(', ');
}

/** BuildKit's ranges count lines from 1 (solver/errdefs/source.go prints `lines[line-1]`). */
function oneBased(p: Position): Position {
  return { line: p.line + 1, character: p.character };
}

/** Our ranges end before `end`; one ending at the start of a line really ends on the line before. */
function inclusiveEnd(start: Position, end: Position, lines: string[]): Position {
  if (end.character > 0 || end.line <= start.line) return oneBased(end);
  const previous = lines[end.line - 1] ?? '';
  return { line: end.line, character: previous.replace(/\r$/, '').length };
}
