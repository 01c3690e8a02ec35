/**
 * The properties every rewrite must have, checked independently of the engine's own helpers
 * (no src/core/fix/apply.ts, no LineIndex): used by the property tests, the fuzz campaign, the
 * regression fixtures and the corpus test.
 */
import { DockerfileParser } from 'dockerfile-ast';
import { DockerfileError } from '../../src/core/errors.js';
import { rewrite as rewriteWith, selectRules } from '../../src/core/rewrite.js';
import type { Finding, RewriteOptions, RewriteResult, TextEdit } from '../../src/core/types.js';
import { logicalInstructions, unlockedAptCaches } from './oracle.js';

export class PropertyViolation extends Error {
  constructor(property: string, detail: string) {
    super(`[${property}] ${detail}`);
    this.name = 'PropertyViolation';
  }
}

const fail = (property: string, detail: string): never => {
  throw new PropertyViolation(property, detail);
};

export type Outcome =
  | { kind: 'refused'; error: DockerfileError }
  | { kind: 'rewritten'; result: RewriteResult; edits: TextEdit[]; addedArgLines: number; multiPass: boolean };

/**
 * Runs rewrite() on `source` and checks every property; throws a PropertyViolation on the first
 * broken one. `options` are passed to every rewrite() call (rule selection, suggested fixes).
 */
export function checkRewrite(source: string, options: RewriteOptions = {}): Outcome {
  let result: RewriteResult;
  const rewrite = (text: string): RewriteResult => rewriteWith(text, options);
  try {
    result = rewrite(source);
  } catch (error) {
    if (error instanceof DockerfileError) {
      checkRefusal(source, error);
      return { kind: 'refused', error };
    }
    return fail('no-crash', `rewrite threw ${describeError(error)}`);
  }

  // (e) determinism
  let again: RewriteResult;
  try {
    again = rewrite(source);
  } catch (error) {
    return fail('determinism', `second rewrite of the same input threw ${describeError(error)}`);
  }
  if (again.output !== result.output)
    fail('determinism', `two rewrites of one input differ at ${firstDifference(result.output, again.output)}`);
  if (JSON.stringify(again.findings) !== JSON.stringify(result.findings))
    fail('determinism', 'two rewrites of one input report different findings');

  if (result.changed !== (result.output !== source))
    fail(
      'changed-flag',
      `changed=${result.changed} but output ${result.output === source ? 'equals' : 'differs from'} input`,
    );
  if (result.findings.some((f) => f.fixed && !f.fix))
    fail('fixed-has-fix', 'a finding is marked fixed but carries no fix');

  // (d) ranges inside the original file
  checkRanges(source, result.findings);

  // (b) bytes outside the reported edits are unchanged
  const { edits, multiPass } = checkEdits(source, result, options.applySuggested ?? false);

  // (a) idempotence
  let second: RewriteResult;
  try {
    second = rewrite(result.output);
  } catch (error) {
    return fail('idempotence', `rewriting the output threw ${describeError(error)}`);
  }
  if (second.output !== result.output) {
    fail('idempotence', `rewriting the output changes it again at ${firstDifference(result.output, second.output)}`);
  }
  const refixed = second.findings.filter((f) => f.fixed);
  if (refixed.length > 0)
    fail(
      'idempotence',
      `rewriting the output still fixes: ${refixed.map((f) => `${f.ruleId} @${f.range.start.line}`).join(', ')}`,
    );

  // (c) the output parses to the same instructions plus the added ARGs
  const addedArgLines = multiPass
    ? checkInstructionsLoosely(source, result.output)
    : checkInstructions(source, result.output, edits);

  // (f) read the way BuildKit reads it (oracle.ts), no apt cache mount is left without sharing=
  // (not when dfrewrite's own in-file directives may have turned the rule off somewhere)
  const sharingRule =
    !/dfrewrite\s*:/i.test(source) &&
    (!options.rules || selectRules(options.rules).some((rule) => rule.id === 'cache-mount-sharing'));
  const unlocked = sharingRule ? unlockedAptCaches(result.output) : [];
  if (unlocked.length > 0) {
    fail(
      'apt-cache-oracle',
      `cache mount(s) sharing an apt cache's id left without sharing=: ${unlocked.map((m) => `line ${m.line} id=${m.id}`).join(', ')} (as BuildKit reads the output)`,
    );
  }

  return { kind: 'rewritten', result, edits, addedArgLines, multiPass };
}

function checkRefusal(source: string, error: DockerfileError): void {
  if (!error.message) fail('refusal', 'DockerfileError without a message');
  if (error.line !== undefined) {
    const lineCount = source.split('\n').length;
    if (!Number.isInteger(error.line) || error.line < 1 || error.line > lineCount) {
      fail('refusal', `DockerfileError names line ${error.line} of a ${lineCount}-line file: ${error.message}`);
    }
  }
}

function checkRanges(source: string, findings: readonly Finding[]): void {
  const seen = new Set<string>();
  for (const finding of findings) {
    const key = `${finding.ruleId} ${JSON.stringify(finding.range)} ${finding.message}`;
    if (seen.has(key))
      fail(
        'unique-findings',
        `${finding.ruleId} reports the same finding twice at ${finding.range.start.line}:${finding.range.start.character}`,
      );
    seen.add(key);
  }
  const lines = source.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  for (const finding of findings) {
    const { start, end } = finding.range;
    for (const [name, p] of [
      ['start', start],
      ['end', end],
    ] as const) {
      const line = lines[p.line];
      if (!Number.isInteger(p.line) || p.line < 0 || line === undefined) {
        fail('range', `${finding.ruleId}: ${name} line ${p.line} outside a ${lines.length}-line file`);
      }
      if (!Number.isInteger(p.character) || p.character < 0 || p.character > line!.length) {
        fail(
          'range',
          `${finding.ruleId}: ${name} ${p.line}:${p.character} beyond the line's ${line!.length} characters`,
        );
      }
    }
    if (start.line > end.line || (start.line === end.line && start.character > end.character)) {
      fail('range', `${finding.ruleId}: range ends before it starts (${JSON.stringify(finding.range)})`);
    }
    // Anchors: a finding points at what it is about, in the original source.
    const text = lines[start.line]!.slice(start.character);
    if (finding.ruleId === 'uv-emulated-bytecode' && !/^(run|onbuild)\b/i.test(text)) {
      fail(
        'range-anchor',
        `uv-emulated-bytecode finding starts at ${JSON.stringify(text.slice(0, 40))} (${start.line}:${start.character}), not at its RUN`,
      );
    }
    if (
      (finding.ruleId === 'cache-mount-sharing' || finding.ruleId === 'cache-mount-owner') &&
      !/^(--|"?sharing=)/i.test(text)
    ) {
      fail(
        'range-anchor',
        `${finding.ruleId} finding starts at ${JSON.stringify(text.slice(0, 40))} (${start.line}:${start.character}), not at its --mount or sharing option`,
      );
    }
  }
}

const editKey = (e: TextEdit): string => `${e.start}:${e.end}:${e.text}`;

/** Insertions at one point with different texts, or overlapping spans, conflict (their order would be a guess). */
function conflicts(a: TextEdit, b: TextEdit): boolean {
  if (editKey(a) === editKey(b)) return false;
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  if (a.start === a.end) return b.start < a.start && a.start < b.end;
  if (b.start === b.end) return a.start < b.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}

/**
 * When the fixes the first pass can apply do not conflict, they all apply in that pass: the
 * output must then be the source with exactly the fixed findings' edits spliced in (a plain
 * splice, not src/core/fix/apply.ts). When they conflict, later passes apply the rest against an
 * intermediate text whose edits no finding carries; then every byte outside the first-pass edit
 * spans must still be there, in order, and nothing else may be removed.
 */
function checkEdits(
  source: string,
  result: RewriteResult,
  applySuggested: boolean,
): { edits: TextEdit[]; multiPass: boolean } {
  const eligible = result.findings.filter(
    // A fixed finding may carry no edits: other fixes already made its declarations.
    (f) => f.fix && (f.fix.edits.length > 0 || f.fixed) && (applySuggested || (f.fix.level ?? 'safe') === 'safe'),
  );
  const eligibleEdits = new Map<string, TextEdit>();
  for (const finding of eligible) for (const edit of finding.fix!.edits) eligibleEdits.set(editKey(edit), edit);
  const all = [...eligibleEdits.values()];
  // Two fixes conflict when an edit of one conflicts with an edit of the other; insertions at one
  // point within one fix are ordered by the fix itself.
  const fixesConflict = eligible.some((a, i) =>
    eligible.some((b, j) => j > i && a.fix!.edits.some((x) => b.fix!.edits.some((y) => conflicts(x, y)))),
  );
  for (const finding of result.findings) {
    // (a fix with no edits of its own can be fixed by another's: a shared ARG declaration)
    if (finding.fixed && finding.fix!.edits.length > 0 && !eligible.includes(finding))
      fail('fix-level', `${finding.ruleId}: a ${finding.fix!.level ?? 'safe'} fix was applied without applySuggested`);
  }
  // Evidence of later passes: first-pass fixes that conflict, or a fixed finding whose edits do
  // not fit the source (a later pass's offsets). Without it, the strict check applies.
  const misfit = (e: TextEdit): boolean =>
    e.end > source.length || e.start > e.end || source.slice(e.start, e.end) !== e.expected;
  const multiPass = fixesConflict || result.findings.some((f) => f.fixed && f.fix!.edits.some(misfit));
  if (multiPass) {
    checkKeptInOrder(
      source,
      result.output,
      all.filter((e) => !misfit(e)),
    );
    return { edits: all, multiPass };
  }
  for (const finding of eligible) {
    if (!finding.fixed)
      fail(
        'all-fixes-applied',
        `${finding.ruleId} @${finding.range.start.line}: its fix conflicts with none, yet was not applied`,
      );
  }
  const unique = new Map<string, TextEdit>();
  for (const finding of result.findings) {
    if (!finding.fixed) continue;
    let breaks = 0;
    for (const edit of finding.fix!.edits) {
      breaks += edit.text.split('\n').length - edit.expected.split('\n').length;
      unique.set(editKey(edit), edit);
    }
    if (breaks !== finding.fix!.addedLines) {
      fail(
        'added-lines',
        `${finding.ruleId} fix says it adds ${finding.fix!.addedLines} lines, its edits add ${breaks}`,
      );
    }
  }
  // Stable: insertions at one point keep their order within their fix.
  const edits = [...unique.values()].sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start));
  for (let i = 1; i < edits.length; i++) {
    if (edits[i]!.start < edits[i - 1]!.end) fail('edits', `applied edits overlap at ${edits[i]!.start}`);
  }
  for (const edit of edits) {
    if (edit.start < 0 || edit.end < edit.start || edit.end > source.length)
      fail('edits', `edit ${edit.start}-${edit.end} outside the source`);
    const actual = source.slice(edit.start, edit.end);
    if (actual !== edit.expected)
      fail(
        'edits',
        `edit at ${edit.start} expects ${JSON.stringify(edit.expected)}, the source has ${JSON.stringify(actual)}`,
      );
    if (/\r(?!\n)/.test(edit.text)) fail('edits', `edit text has a bare CR: ${JSON.stringify(edit.text)}`);
  }
  let rebuilt = '';
  let pos = 0;
  for (const edit of edits) {
    rebuilt += source.slice(pos, edit.start) + edit.text;
    pos = edit.end;
  }
  rebuilt += source.slice(pos);
  if (rebuilt !== result.output) {
    fail(
      'bytes-outside-edits',
      `output differs from the input with the reported edits applied, at ${firstDifference(rebuilt, result.output)}`,
    );
  }
  return { edits, multiPass };
}

/** The source, cut at every edit span, must appear in the output piece after piece, first and last pieces at the ends. */
function checkKeptInOrder(source: string, output: string, edits: TextEdit[]): void {
  const cuts = edits.map((e) => [e.start, e.end] as const).sort((a, b) => a[0] - b[0]);
  const pieces: string[] = [];
  let pos = 0;
  for (const [start, end] of cuts) {
    if (start > pos) pieces.push(source.slice(pos, start));
    else if (pieces.length === 0) pieces.push('');
    pos = Math.max(pos, end);
  }
  pieces.push(source.slice(pos));
  if (!output.startsWith(pieces[0]!))
    fail('bytes-outside-edits', `output does not start with the unedited ${JSON.stringify(pieces[0]!.slice(0, 60))}`);
  let at = pieces[0]!.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = output.indexOf(piece, at);
    if (found === -1)
      fail(
        'bytes-outside-edits',
        `unedited text ${JSON.stringify(piece.slice(0, 60))} is missing from the output (multi-pass)`,
      );
    at = found + piece.length;
  }
  const last = pieces[pieces.length - 1]!;
  if (pieces.length > 1 && (!output.endsWith(last) || output.length - last.length < at)) {
    fail('bytes-outside-edits', `output does not end with the unedited ${JSON.stringify(last.slice(-60))}`);
  }
}

interface ParsedInstruction {
  keyword: string;
  text: string;
  start: number;
  end: number;
  heredocs: number;
  /** First line of each heredoc body, raw (BuildKit looks for `#!` before chomping tabs). */
  heredocFirstLines: string[];
}

/**
 * The instructions as BuildKit splits them (oracle.ts): dockerfile-ast disagrees with BuildKit on
 * some inputs (a line ending in a doubled escape character), so it only has to parse the output.
 */
function instructionsOf(text: string): ParsedInstruction[] {
  DockerfileParser.parse(text);
  return logicalInstructions(text).map((i) => ({
    keyword: i.keyword,
    text: text.slice(i.start, i.end),
    start: i.start,
    end: i.end,
    heredocs: i.heredocs,
    heredocFirstLines: i.heredocFirstLines,
  }));
}

const ARG_LINE = /^ARG [A-Za-z_][A-Za-z0-9_]*$/;
const AUTOMATIC_ONLY = /^ARG(?:[ \t]+(?:TARGET|BUILD)(?:PLATFORM|OS|ARCH|VARIANT)(?:=\S*)?)+[ \t]*$/i;

/**
 * The input's global ARGs that declare only automatic platform arguments: platform-args removes
 * them (a global `ARG TARGETARCH` empties it before BuildKit 0.17), so the output may lack them.
 */
function removableGlobals(before: ParsedInstruction[]): Set<ParsedInstruction> {
  const firstFrom = before.findIndex((i) => i.keyword === 'FROM');
  return new Set(before.slice(0, firstFrom).filter((i) => i.keyword === 'ARG' && AUTOMATIC_ONLY.test(i.text.trim())));
}

/**
 * Output instructions = input instructions, each with its own edits applied (edits inside its
 * span; an insertion at its very start belongs before it), plus one `ARG NAME` instruction per
 * ARG line the edits insert.
 */
function checkInstructions(source: string, output: string, edits: TextEdit[]): number {
  const expectedArgs = new Map<string, number>();
  let argLines = 0;
  for (const edit of edits) {
    for (const line of edit.text.split(/\r?\n/).map((l) => l.trim())) {
      if (!/^ARG\s/.test(line)) continue;
      if (!ARG_LINE.test(line)) fail('instructions', `an edit inserts ${JSON.stringify(line)}, not one ARG NAME`);
      expectedArgs.set(line, (expectedArgs.get(line) ?? 0) + 1);
      argLines++;
    }
  }
  const before = instructionsOf(source);
  const after = instructionsOf(output);
  const removable = removableGlobals(before);
  const removed = (original: ParsedInstruction | undefined): boolean =>
    original !== undefined &&
    removable.has(original) &&
    edits.some((e) => e.text === '' && e.start <= original.start && e.end >= original.end);
  let i = 0;
  for (const out of after) {
    while (removed(before[i])) i++;
    const original = before[i];
    const span = original;
    let expected = '';
    if (original && span) {
      const own = edits.filter(
        (e) => e.start >= span.start && e.end <= span.end && !(e.start === span.start && e.end === span.start),
      );
      let pos = span.start;
      for (const edit of own) {
        expected += source.slice(pos, edit.start) + edit.text;
        pos = edit.end;
      }
      expected += source.slice(pos, span.end);
    }
    const added = out.keyword === 'ARG' && (expectedArgs.get(out.text.trim()) ?? 0) > 0;
    if (original && span && out.keyword === original.keyword && !(added && out.text !== expected)) {
      if (out.heredocs !== original.heredocs)
        fail('instructions', `${out.keyword} #${i} had ${original.heredocs} heredocs, has ${out.heredocs}`);
      original.heredocFirstLines.forEach((line, k) => {
        if (line.startsWith('#!') && out.heredocFirstLines[k] !== line) {
          fail(
            'shebang',
            `heredoc ${k} of ${out.keyword} #${i} started with ${JSON.stringify(line)}, now ${JSON.stringify(out.heredocFirstLines[k])}`,
          );
        }
      });
      if (out.text !== expected) {
        fail(
          'instructions',
          `${out.keyword} #${i} is not its input with its own edits: expected ${JSON.stringify(expected.slice(0, 120))}, got ${JSON.stringify(out.text.slice(0, 120))}`,
        );
      }
      i++;
      continue;
    }
    if (added) {
      expectedArgs.set(out.text.trim(), expectedArgs.get(out.text.trim())! - 1);
      continue;
    }
    fail(
      'instructions',
      `output instruction ${JSON.stringify(out.text.slice(0, 60))} does not match input instruction ${JSON.stringify(original?.text.slice(0, 60))}`,
    );
  }
  while (removed(before[i])) i++;
  if (i !== before.length)
    fail('instructions', `output lost instructions from ${JSON.stringify(before[i]?.text.slice(0, 60))}`);
  const missing = [...expectedArgs].filter(([, n]) => n > 0).map(([line]) => line);
  if (missing.length > 0)
    fail('instructions', `the edits insert ${missing.join(', ')}, which the output does not have as instructions`);
  return argLines;
}

/** After several passes: the input's instructions, in order, with only ARG instructions added. */
function checkInstructionsLoosely(source: string, output: string): number {
  const before = instructionsOf(source);
  const after = instructionsOf(output);
  const removable = removableGlobals(before);
  let i = 0;
  let extra = 0;
  const argName = (text: string): string | undefined => /^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)/i.exec(text)?.[1];
  for (const out of after) {
    let original = before[i];
    const matches = (input: ParsedInstruction | undefined): boolean =>
      input !== undefined &&
      out.keyword === input.keyword &&
      out.heredocs === input.heredocs &&
      (out.keyword !== 'ARG' || argName(out.text) === argName(input.text));
    while (original && removable.has(original) && !matches(original)) original = before[++i];
    if (matches(original)) i++;
    else if (out.keyword === 'ARG' && ARG_LINE.test(out.text.trim())) extra++;
    else
      fail(
        'instructions',
        `output instruction ${JSON.stringify(out.text.slice(0, 60))} does not match input instruction ${JSON.stringify(before[i]?.text.slice(0, 60))}`,
      );
  }
  while (before[i] && removable.has(before[i]!)) i++;
  if (i !== before.length)
    fail('instructions', `output lost instructions from ${JSON.stringify(before[i]?.text.slice(0, 60))}`);
  return extra;
}

export function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `offset ${i}: ${JSON.stringify(a.slice(Math.max(0, i - 30), i + 30))} vs ${JSON.stringify(b.slice(Math.max(0, i - 30), i + 30))}`;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * checkRewrite(), and for a file generated without deliberate breakage (BuildKit's parser accepts
 * it) or a fixture named `valid-*`: no refusal either.
 */
export function checkCase(source: string, mustRewrite: boolean, options: RewriteOptions = {}): Outcome {
  const outcome = checkRewrite(source, options);
  if (mustRewrite && outcome.kind === 'refused') {
    fail('no-refusal', `refused a Dockerfile BuildKit parses: ${outcome.error.message}`);
  }
  return outcome;
}
