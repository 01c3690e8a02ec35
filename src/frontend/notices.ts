/** What the user is told: the name of the vertex carrying the rewritten file, and warnings. */
import type { Finding, Position } from '../core/types.js';
import { decodeUtf8 } from '../core/parse/utf8.js';
import type { WarnRequest } from './gateway/messages.js';
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

/** A finding as BuildKit's lint warnings carry it (frontend/dockerfile/linter, subrequests/lint). */
export interface LintNotice {
  ruleName: string;
  /** The rule's one-line description. */
  description: string;
  url: string;
  /** What was found and what was done about it (or why nothing was). */
  detail: string;
  /** One-based lines, zero-based characters, in the user's file. */
  ranges: Range[];
}

export interface Range {
  start: Position;
  end: Position;
}

/**
 * One notice per finding, at its range in the user's file. The engine's message says what is
 * wrong and what was changed ("set sharing=locked") or why nothing was ("not changed: ...");
 * a fix that exists but was not applied gets a note saying why.
 */
export function findingNotices(findings: Finding[], descriptions: Map<string, string>, data: Uint8Array): LintNotice[] {
  if (findings.length === 0) return [];
  const lines = decodeUtf8(data, false).split('\n');
  return findings.map((f) => ({
    ruleName: f.ruleId,
    description: descriptions.get(f.ruleId) ?? '',
    url: f.url,
    detail: `${f.message}${notApplied(f)}`,
    ranges: [{ start: oneBased(f.range.start), end: inclusiveEnd(f.range.start, f.range.end, lines) }],
  }));
}

/**
 * The Warn for a notice, as the Dockerfile frontend sends its lint warnings (builder/build.go,
 * linter.LintFormatShort): level 1 (warning), short `RULE: DETAIL (line N)`, the rule's
 * description as detail, its URL, and the user's file as source, so that `docker buildx build`
 * prints the offending lines.
 */
export function noticeWarning(notice: LintNotice, source: DockerfileSource, vertexDigest: string): WarnRequest {
  const line = notice.ranges[0]?.start.line ?? 0;
  return {
    digest: vertexDigest,
    level: 1,
    short: `${notice.ruleName}: ${notice.detail}${line > 0 ? ` (line ${line})` : ''}`,
    detail: notice.description ? [notice.description] : [],
    url: notice.url,
    info: { filename: source.filename, data: source.data, definition: source.definition, language: 'Dockerfile' },
    ranges: notice.ranges,
  };
}

/** A warning about dfrewrite's own options: it names no line of the file. */
export function optionWarning(message: string, vertexDigest: string): WarnRequest {
  return { digest: vertexDigest, level: 1, short: `dfrewrite: ${message}`, detail: [], url: '', ranges: [] };
}

function notApplied(f: Finding): string {
  if (f.fixed || !f.fix) return '';
  return f.fix.level === 'suggested'
    ? '; not applied without --apply-suggested'
    : '; not applied: it overlaps another fix';
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
