import { applyEdits, EditSet, OffsetMapper } from './apply.js';
import { ruleDocUrl } from './links.js';
import { buildModel } from './model.js';
import type { Report, Rule } from './rule.js';
import { LineIndex } from './source.js';
import type { Finding, RewriteOptions, RewriteResult } from './types.js';

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
export function runRules(source: string, rules: readonly Rule[], options: Pick<RewriteOptions, 'applySuggested'> = {}): RewriteResult {
  const originalLines = new LineIndex(source);
  const findings: Finding[] = [];
  const mappers: OffsetMapper[] = [];
  const seenOutputs = new Set<string>([source]);
  let text = source;
  for (let pass = 0; ; pass++) {
    const candidates = collect(text, rules);
    const accepted = acceptFixes(candidates, options.applySuggested ?? false);
    const toOriginal = (offset: number): number => mappers.reduceRight((o, mapper) => mapper.map(o), offset);
    for (const candidate of candidates) {
      const fixed = accepted.has(candidate);
      if (pass > 0 && !fixed) continue; // already reported by the first pass
      const finding = toFinding(candidate, fixed, originalLines, toOriginal);
      if (pass > 0) markFixedOrAdd(findings, finding);
      else findings.push(finding);
    }
    if (accepted.size === 0) break;
    const edits = [...accepted].flatMap((c) => c.report.fix!.edits);
    const next = applyEdits(text, edits);
    if (seenOutputs.has(next) || pass + 1 >= MAX_PASSES) {
      throw new Error(`internal error: fixes did not settle after ${pass + 1} passes`);
    }
    seenOutputs.add(next);
    mappers.push(new OffsetMapper(edits));
    text = next;
  }
  findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { output: text, changed: text !== source, findings };
}

function collect(text: string, rules: readonly Rule[]): Candidate[] {
  const model = buildModel(text);
  const candidates: Candidate[] = [];
  for (const rule of rules) {
    rule.check({
      model,
      report: (report) => {
        if (report.fix) report.fix.level ??= rule.fixLevel;
        candidates.push({ rule, report, order: candidates.length });
      },
    });
  }
  return candidates;
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
    if (kept.tryAdd(candidate.report.fix!.edits)) accepted.add(candidate);
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
    message: report.message,
    range: lines.rangeOf(toOriginal(report.start), toOriginal(report.end)),
    url: ruleDocUrl(rule.id),
    fixed,
  };
  if (report.fix) finding.fix = report.fix;
  return finding;
}

function markFixedOrAdd(findings: Finding[], finding: Finding): void {
  const same = findings.find(
    (f) => !f.fixed && f.ruleId === finding.ruleId && f.range.start.line === finding.range.start.line,
  );
  if (same) same.fixed = true;
  else findings.push(finding);
}
