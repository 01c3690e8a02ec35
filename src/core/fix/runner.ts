import { applyEdits, EditSet, OffsetMapper, uniqueEdits } from './apply.js';
import { addedLines } from './edits.js';
import { readDirectives } from './directives.js';
import { DockerfileError } from '../errors.js';
import { ruleDocUrl } from '../links.js';
import { buildModel, type DockerfileModel } from '../model/model.js';
import type { Report, Rule } from '../rule.js';
import { compareByStart, LineIndex } from '../parse/source.js';
import type { Finding, Fix, RewriteOptions, RewriteResult, Suppression } from '../types.js';

/** Fixes that need others applied first (they overlapped) get another pass; a few always suffice. */
const MAX_PASSES = 5;

interface Candidate {
  rule: Rule;
  report: Report;
  order: number;
}

/**
 * Runs the rules and applies their fixes, pass after pass, until a pass fixes nothing. Findings
 * are reported against the original source whatever pass found them.
 */
export function runRules(
  source: string,
  rules: readonly Rule[],
  options: Pick<RewriteOptions, 'applySuggested'> = {},
): RewriteResult {
  const originalLines = new LineIndex(source);
  const findings: Finding[] = [];
  // First-pass findings left unfixed, by rule and line: a later pass's fix marks its finding fixed.
  const unfixed = new Map<string, Finding[]>();
  const mappers: OffsetMapper[] = [];
  const seenOutputs = new Set<string>([source]);
  let suppressions: Suppression[] = [];
  let text = source;
  for (let pass = 0; ; pass++) {
    const { candidates, suppressions: passSuppressions } =
      pass === 0 ? collect(text, rules, originalLines) : collectAgain(text, rules);
    if (pass === 0) suppressions = passSuppressions;
    const accepted = acceptFixes(candidates, options.applySuggested ?? false);
    const toOriginal = (offset: number): number => mappers.reduceRight((o, mapper) => mapper.map(o), offset);
    for (const candidate of candidates) {
      const fixed = accepted.has(candidate);
      if (pass > 0 && !fixed) continue; // already reported by the first pass
      const finding = toFinding(candidate, fixed, originalLines, toOriginal);
      if (pass > 0) markFixedOrAdd(findings, unfixed, finding);
      else {
        findings.push(finding);
        const key = findingKey(finding);
        if (!fixed) unfixed.set(key, [...(unfixed.get(key) ?? []), finding]);
      }
    }
    const edits = uniqueEdits([...accepted].flatMap((c) => c.report.fix!.edits));
    if (edits.length === 0) break; // nothing to fix, or only what other fixes had already done
    const next = applyEdits(text, edits);
    if (seenOutputs.has(next) || pass + 1 >= MAX_PASSES) {
      throw new Error(`internal error: fixes did not settle after ${pass + 1} passes`);
    }
    seenOutputs.add(next);
    mappers.push(new OffsetMapper(edits));
    text = next;
  }
  findings.sort(compareByStart);
  return { output: text, changed: text !== source, findings, suppressions };
}

/** A later pass reads the engine's own output: a file it cannot read is a bug of ours, not the user's. */
function collectAgain(text: string, rules: readonly Rule[]): ReturnType<typeof collect> {
  try {
    return collect(text, rules);
  } catch (error) {
    if (!(error instanceof DockerfileError)) throw error;
    throw new Error(`internal error: the rewritten file does not parse (${error.message})`, { cause: error });
  }
}

function collect(
  text: string,
  rules: readonly Rule[],
  lines?: LineIndex,
): { candidates: Candidate[]; suppressions: Suppression[] } {
  const model = buildModel(text, lines);
  const ignores = readDirectives(text).directives.filter((d) => d.kind === 'ignore');
  const suppressions = ignores.map((d) => ({ line: d.line + 1, rules: d.rules, used: false }));
  const byTarget = new Map(ignores.map((d, i) => [d.target!, { directive: d, suppression: suppressions[i]! }]));
  const candidates: Candidate[] = [];
  for (const rule of rules) {
    rule.check({
      model,
      report: (report) => {
        const ignore = byTarget.get(instructionLineAt(model, report.start));
        if (ignore && (ignore.directive.rules.length === 0 || ignore.directive.rules.includes(rule.id))) {
          ignore.suppression.used = true;
          return;
        }
        if (report.fix) report.fix.level ??= rule.fixLevel;
        candidates.push({ rule, report, order: candidates.length });
      },
    });
  }
  return { candidates, suppressions };
}

/** The line where the instruction holding `offset` starts (or -1 outside every instruction). */
function instructionLineAt(model: DockerfileModel, offset: number): number {
  const { instructions } = model;
  let lo = 0;
  let hi = instructions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (instructions[mid]!.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  const node = instructions[lo - 1];
  return node && offset <= node.end ? model.lines.positionAt(node.start).line : -1;
}

/** Greedy and deterministic: fixes in source order, each kept unless it conflicts with one kept before. */
function acceptFixes(candidates: Candidate[], applySuggested: boolean): Set<Candidate> {
  const accepted = new Set<Candidate>();
  const kept = new EditSet();
  const withFixes = candidates
    .filter((c) => c.report.fix && c.report.fix.edits.length > 0)
    .filter((c) => applySuggested || c.report.fix!.level === 'safe')
    .sort((a, b) => firstEdit(a) - firstEdit(b) || a.order - b.order);
  for (const candidate of withFixes) {
    const fix = candidate.report.fix!;
    const applied = kept.tryAdd(fix.edits);
    if (!applied) continue;
    if (applied.length < fix.edits.length) {
      // Declarations another fix already made are dropped: report what is really applied (on a
      // copy: rules may hand one fix to several findings).
      const dropped = fix.edits.filter((edit) => !applied.includes(edit));
      candidate.report = {
        ...candidate.report,
        fix: { ...fix, edits: applied, addedLines: fix.addedLines - addedLines(dropped) },
      };
    }
    accepted.add(candidate);
  }
  return accepted;
}

const firstEdit = (c: Candidate): number => Math.min(...c.report.fix!.edits.map((e) => e.start));

function toFinding(
  { rule, report }: Candidate,
  fixed: boolean,
  lines: LineIndex,
  toOriginal: (offset: number) => number,
): Finding {
  const finding: Finding = {
    ruleId: rule.id,
    severity: report.severity ?? 'warning',
    message: report.message + addsNote(report.fix),
    range: lines.rangeOf(toOriginal(report.start), toOriginal(report.end)),
    url: ruleDocUrl(rule.id),
    fixed,
  };
  if (report.fix) {
    // A later pass's edits are on the text earlier passes produced: map them to the source.
    const source = lines.text;
    const edits = report.fix.edits.map((edit) => {
      const start = toOriginal(edit.start);
      const end = Math.max(start, toOriginal(edit.end));
      return { ...edit, start, end, expected: source.slice(start, end) };
    });
    finding.fix = { ...report.fix, edits };
  }
  return finding;
}

function markFixedOrAdd(findings: Finding[], unfixed: Map<string, Finding[]>, finding: Finding): void {
  const same = unfixed.get(findingKey(finding))?.shift();
  if (!same) {
    findings.push(finding);
    return;
  }
  same.fixed = true;
  if (finding.fix) {
    // The fix applied in this pass may add fewer lines (declarations made meanwhile): say what it adds.
    same.message = same.message.slice(0, same.message.length - addsNote(same.fix).length) + addsNote(finding.fix);
    same.fix = finding.fix;
  }
}

/**
 * Said by the engine, not the rules: only it knows which edits (declarations another fix made
 * first are dropped) a fix keeps.
 */
function addsNote(fix: Fix | undefined): string {
  const n = fix?.addedLines ?? 0;
  return n > 0 ? ` (adds ${n} line${n > 1 ? 's' : ''})` : '';
}

const findingKey = (finding: Finding): string => `${finding.ruleId} ${finding.range.start.line}`;
