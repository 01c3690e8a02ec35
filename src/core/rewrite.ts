import { allRules } from '../rules/index.js';
import type { Rule } from './rule.js';
import { directiveFinding, resolveDirectives } from './fix/directives.js';
import { skimDockerfile } from './parse/skim.js';
import { compareByStart, LineIndex } from './parse/source.js';
import { runRules } from './fix/runner.js';
import type { RewriteOptions, RewriteResult, RuleSelection } from './types.js';

/**
 * Rewrites a Dockerfile: every enabled rule reports its findings and the safe fixes are applied.
 * Throws a DockerfileError for input it cannot rewrite (the caller keeps the file as it is).
 */
export function rewrite(source: string, options: RewriteOptions = {}): RewriteResult {
  selectRules(options.rules);
  const known = allRules.map((rule) => rule.id);
  const { problems, selection } = resolveDirectives(source, options.rules ?? {}, known);
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
    result.findings.push(...problems.map((p) => directiveFinding(lines, p.line, p.message)));
    result.findings.sort(compareByStart);
  }
  return result;
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
  constructor(
    readonly ruleId: string,
    known: string[],
  ) {
    super(`unknown rule "${ruleId}" (known: ${known.join(', ')})`);
    this.name = 'UnknownRuleError';
  }
}
