import { allRules } from '../rules/index.js';
import type { Rule } from './rule.js';
import { skimDockerfile } from './skim.js';
import { runRules } from './runner.js';
import type { RewriteOptions, RewriteResult, RuleSelection } from './types.js';

/**
 * Rewrites a Dockerfile: every enabled rule reports its findings and the safe fixes are applied.
 * Throws a DockerfileError for input it cannot rewrite (the caller keeps the file as it is).
 */
export function rewrite(source: string, options: RewriteOptions = {}): RewriteResult {
  const rules = selectRules(options.rules);
  if (rules.every((rule) => rule.prefilter && !rule.prefilter(source))) {
    skimDockerfile(source);
    return { output: source, changed: false, findings: [] };
  }
  return runRules(source, rules, options);
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
