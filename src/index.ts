/** The dfrewrite library: rewrite a Dockerfile, list the rules, render a diff. */
export { rewrite, selectRules, UnknownRuleError } from './core/rewrite.js';
export { DockerfileError } from './core/errors.js';
export { unifiedDiff } from './core/fix/diff.js';
export { allRules } from './rules/index.js';
export { ruleDocUrl } from './core/links.js';
export type { Rule } from './core/rule.js';
export type * from './core/types.js';
export * from './config/index.js';
