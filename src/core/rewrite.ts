import { allRules } from '../rules/index.js';
import type { Rule } from './rule.js';
import { applyFileDirectives, readDirectives, type DirectiveProblem } from './directives.js';
import { directivesDocUrl } from './links.js';
import { skimDockerfile } from './skim.js';
import { LineIndex } from './source.js';
import { runRules } from './runner.js';
import type { Finding, RewriteOptions, RewriteResult, RuleSelection } from './types.js';

/**
 * Rewrites a Dockerfile: every enabled rule reports its findings and the safe fixes are applied.
 * Throws a DockerfileError for input it cannot rewrite (the caller keeps the file as it is).
 */
export function rewrite(source: string, options: RewriteOptions = {}): RewriteResult {
  selectRules(options.rules);
  const known = allRules.map((rule) => rule.id);
  const { directives, problems } = readDirectives(source);
  for (const directive of directives) {
    for (const id of directive.rules) {
      if (!known.includes(id)) problems.push({ line: directive.line, message: `unknown rule "${id}" in dfrewrite directive (known: ${known.join(', ')})` });
    }
  }
  const valid = directives.map((d) => ({ ...d, rules: d.rules.filter((id) => known.includes(id)) }));
  const selection = applyFileDirectives(options.rules ?? {}, known, valid);
  const rules = selection === 'off' ? [] : selectRules(selection);
  let result: RewriteResult;
  if (rules.every((rule) => rule.prefilter && !rule.prefilter(source))) {
    skimDockerfile(source);
    result = { output: source, changed: false, findings: [], suppressions: [] };
  } else {
    result = runRules(source, rules, options);
  }
  if (problems.length > 0) {
    const lines = new LineIndex(source);
    result.findings.push(...problems.map((p) => directiveFinding(lines, p)));
    result.findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }
  return result;
}

function directiveFinding(lines: LineIndex, problem: DirectiveProblem): Finding {
  return {
    ruleId: 'dfrewrite-directive',
    severity: 'warning',
    message: problem.message,
    range: lines.rangeOf(lines.lineStart(problem.line), lines.lineEnd(problem.line)),
    url: directivesDocUrl,
    fixed: false,
  };
}

/** The rules a selection names; an unknown id is an error, not a silent no-op. */
export function selectRules(selection: RuleSelection = {}): Rule[] {
  const known = new Set(allRules.map((rule) => rule.id));
  for (const id of [...(selection.enable ?? []), ...(selection.disable ?? [])]) {
    if (!known.has(id)) throw new UnknownRuleError(id, [...known]);
  }
  const enabled = selection.enable ? new Set(selection.enable) : known;
  const disabled = new Set(selection.disable ?? []);
  return allRules.filter((rule) => enabled.has(rule.id) && !disabled.has(rule.id));
}

export class UnknownRuleError extends Error {
  constructor(readonly ruleId: string, known: string[]) {
    super(`unknown rule "${ruleId}" (known: ${known.join(', ')})`);
    this.name = 'UnknownRuleError';
  }
}
