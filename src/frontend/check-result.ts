/**
 * `docker buildx build --check` (the subrequest `frontend.lint`): the upstream lints the user's
 * file, and dfrewrite adds its findings to the result, in the upstream's own shape, so that
 * buildx counts and prints them beside BuildKit's checks and exits 1 for them too.
 *
 * The shapes follow BuildKit v0.25 frontend/subrequests/lint/lint.go: the Result's metadata has
 * `result.json` (LintResults, indented by Go's encoding/json), `result.txt` (LintResults.PrintTo),
 * `result.statuscode` ("1" when there are warnings or a build error) and `version`.
 */
import { ProtoWriter, bytesField, lengthDelimited, mapField, readFields, stringField } from './gateway/wire.js';
import { MapEntry, Result } from './gateway/fields.js';
import { concat, fromBase64, toBase64 } from './gateway/bytes.js';
import { decodeUtf8, encodeUtf8 } from '../core/parse/utf8.js';
import type { LintNotice, Range } from './notices.js';

export const LINT_REQUEST = 'frontend.lint';
const METADATA = Result.metadata;

/** The Result's metadata map, values as bytes. */
export function resultMetadata(result: Uint8Array): Map<string, Uint8Array> {
  return mapField(readFields(result), METADATA, (entry) => bytesField(entry, MapEntry.value));
}

/** The Result with some metadata values replaced (or added); every other field as it was. */
export function withMetadata(result: Uint8Array, changes: Map<string, Uint8Array>): Uint8Array {
  const left = new Map(changes);
  const entry = (key: string, value: Uint8Array) =>
    lengthDelimited(METADATA, new ProtoWriter().string(MapEntry.key, key).message(MapEntry.value, value).finish());
  const parts = readFields(result).map((f) => {
    if (f.field !== METADATA || !f.value) return f.raw;
    const key = stringField(readFields(f.value), MapEntry.key);
    const value = left.get(key);
    if (value === undefined) return f.raw;
    left.delete(key);
    return entry(key, value);
  });
  for (const [key, value] of left) parts.push(entry(key, value));
  return concat(parts);
}

/** The user's file, as the lint result lists its sources. */
export interface LintSource {
  filename: string;
  data: Uint8Array;
}

/**
 * The upstream's lint result with `notices` added. Unchanged (the same bytes) when there is
 * nothing to add or the result is not one this code knows how to extend.
 */
export function addToLintResult(result: Uint8Array, notices: LintNotice[], source: LintSource): Uint8Array {
  if (notices.length === 0) return result;
  const metadata = resultMetadata(result);
  const json = metadata.get('result.json');
  if (!json) return result;
  const versionBytes = metadata.get('version');
  const version = versionBytes && decodeUtf8(versionBytes, false);
  if (version !== undefined && !version.startsWith('1.')) return result;
  const results = JSON.parse(decodeUtf8(json, false)) as LintResults;
  results.warnings ??= [];
  results.sources ??= [];
  const data = toBase64(source.data);
  // As LintResults.AddSource: the same file (name, language, bytes) is listed once.
  let sourceIndex = results.sources.findIndex(
    (s) => (s.filename ?? '') === source.filename && (s.language ?? '') === 'Dockerfile' && (s.data ?? '') === data,
  );
  if (sourceIndex === -1) {
    sourceIndex = results.sources.push({ filename: source.filename, data, language: 'Dockerfile' }) - 1;
  }
  for (const notice of notices) results.warnings.push(lintWarning(notice, sourceIndex));
  const marshaled = marshalIndent(results);
  const status = results.warnings.length > 0 || results.buildError ? '1' : '0';
  return withMetadata(
    result,
    new Map([
      ['result.json', encodeUtf8(marshaled)],
      ['result.txt', encodeUtf8(printLintResults(results))],
      ['result.statuscode', encodeUtf8(status)],
    ]),
  );
}

interface Position {
  line?: number;
  character?: number;
}
interface LintRange {
  start?: Position;
  end?: Position;
}
interface LintWarning {
  ruleName: string;
  description?: string;
  url?: string;
  detail?: string;
  location?: { sourceIndex?: number; ranges?: LintRange[] };
}
interface SourceInfo {
  filename?: string;
  /** base64 */
  data?: string;
  definition?: unknown;
  language?: string;
}
interface LintResults {
  warnings: LintWarning[] | null;
  sources: SourceInfo[] | null;
  buildError?: unknown;
}

/** A warning as Go marshals lint.Warning: fields in struct order, zero values left out. */
function lintWarning(notice: LintNotice, sourceIndex: number): LintWarning {
  const warning: LintWarning = { ruleName: notice.ruleName };
  if (notice.description) warning.description = notice.description;
  if (notice.url) warning.url = notice.url;
  if (notice.detail) warning.detail = notice.detail;
  const location: LintWarning['location'] = {};
  if (sourceIndex !== 0) location.sourceIndex = sourceIndex;
  if (notice.ranges.length > 0) location.ranges = notice.ranges.map(lintRange);
  warning.location = location;
  return warning;
}

function lintRange(range: Range): LintRange {
  const position = (p: { line: number; character: number }): Position => ({
    ...(p.line !== 0 ? { line: p.line } : {}),
    ...(p.character !== 0 ? { character: p.character } : {}),
  });
  return { start: position(range.start), end: position(range.end) };
}

/**
 * json.MarshalIndent(v, "", "  "): JSON.stringify's layout is the same; Go also escapes <, >, &
 * and U+2028/U+2029 (HTML-safe output), which only ever occur inside strings.
 */
export function marshalIndent(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** LintResults.PrintTo without a source map: what BuildKit puts in `result.txt`. */
export function printLintResults(results: LintResults): string {
  const sources = results.sources ?? [];
  const warnings = [...(results.warnings ?? [])];
  const index = (w: LintWarning) => w.location?.sourceIndex ?? 0;
  const ranges = (w: LintWarning) => w.location?.ranges ?? [];
  // The same order as its sort.Slice (a stable insertion sort for the few warnings a file has).
  warnings.sort((a, b) => {
    const less = (i: LintWarning, j: LintWarning): boolean => {
      const si = index(i);
      const sj = index(j);
      if (si < 0 && sj < 0) return i.ruleName < j.ruleName;
      if (si < 0 || sj < 0) return si < 0;
      const fi = sources[si]?.filename ?? '';
      const fj = sources[sj]?.filename ?? '';
      if (fi !== fj) return fi < fj;
      const ri = ranges(i);
      const rj = ranges(j);
      if (ri.length === 0 && rj.length === 0) return i.ruleName < j.ruleName;
      if (ri.length === 0 || rj.length === 0) return ri.length === 0;
      return (ri[0]!.start?.line ?? 0) < (rj[0]!.start?.line ?? 0);
    };
    return less(a, b) ? -1 : less(b, a) ? 1 : 0;
  });
  let out = '';
  for (const warning of warnings) {
    out += `\nWARNING: ${warning.ruleName}`;
    if (warning.url) out += ` - ${warning.url}`;
    out += `\n${warning.detail ?? ''}\n`;
    if (index(warning) < 0) continue;
    const source = sources[index(warning)];
    if (source) out += printSource(source, ranges(warning));
  }
  return out;
}

/** errdefs.Source.Print: the lines of the ranges, two or four lines of context, `>>>` on theirs. */
function printSource(source: SourceInfo, ranges: LintRange[]): string {
  const lines = decodeUtf8(fromBase64(source.data ?? ''), false).split('\n');
  if (ranges.length === 0) return '';
  const lineOf = (p: Position | undefined) => p?.line ?? 0;
  let start = 0;
  let end = 0;
  ranges.forEach((r, i) => {
    const e = Math.max(lineOf(r.end), lineOf(r.start));
    if (i === 0 || lineOf(r.start) < start) start = lineOf(r.start);
    if (e > end) end = e;
  });
  if (start > lines.length || start < 1) return '';
  if (end > lines.length) end = lines.length;
  const pad = end === start ? 4 : 2;
  const prepadStart = start;
  for (let p = 0; p < pad;) {
    if (start > 1) {
      start--;
      p++;
    }
    if (end !== lines.length) {
      end++;
      p++;
    }
    p++;
  }
  const contains = (l: number) =>
    ranges.some((r) => lineOf(r.start) <= l && Math.max(lineOf(r.end), lineOf(r.start)) >= l);
  let out = `${source.filename ?? ''}:${prepadStart}\n--------------------\n`;
  for (let i = start; i <= end; i++) {
    out += ` ${String(i).padStart(3)} | ${contains(i) ? '>>>' : '   '} ${lines[i - 1]!}\n`;
  }
  return `${out}--------------------\n`;
}
