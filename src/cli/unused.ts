/** `--report-unused-directives`: the `ignore` directives of a file that suppressed nothing. */
import { applyFileDirectives, readDirectives } from '../core/directives.js';
import { directivesDocUrl } from '../core/links.js';
import { LineIndex } from '../core/source.js';
import type { Finding, RewriteResult, RuleSelection } from '../core/types.js';
import { allRules } from '../rules/index.js';

export const DIRECTIVE_RULE = 'dfrewrite-directive';

/**
 * One finding per unused `# dfrewrite: ignore` directive. A directive is only judged when a rule it
 * names ran on the file (an ignore of a rule turned off by the command line, the config or the file
 * has nothing to suppress by design); directives naming only unknown rules are already findings.
 */
export function unusedIgnores(source: string, result: RewriteResult, selection: RuleSelection): Finding[] {
  const known = allRules.map((rule) => rule.id);
  const { directives } = readDirectives(source);
  const ignores = directives.filter((d) => d.kind === 'ignore');
  if (ignores.length === 0) return [];
  const valid = directives.map((d) => ({ ...d, rules: d.rules.filter((id) => known.includes(id)) }));
  const effective = applyFileDirectives(selection, known, valid);
  if (effective === 'off') return [];
  const ran = new Set(effective.enable ?? known);
  const used = new Set((result.suppressions ?? []).filter((s) => s.used).map((s) => s.line));
  const lines = new LineIndex(source);
  const unused: Finding[] = [];
  for (const directive of ignores) {
    const named = directive.rules.filter((id) => known.includes(id));
    if (directive.rules.length > 0 && named.length === 0) continue;
    const judged = named.length === 0 ? ran.size > 0 : named.some((id) => ran.has(id));
    if (!judged || used.has(directive.line + 1)) continue;
    const what = named.length === 0 ? 'any rule' : named.join(', ');
    unused.push({
      ruleId: DIRECTIVE_RULE,
      severity: 'warning',
      message: `unused dfrewrite ignore directive: ${what} reported nothing on the instruction below it (remove the directive)`,
      range: lines.rangeOf(lines.lineStart(directive.line), lines.lineEnd(directive.line)),
      url: directivesDocUrl,
      fixed: false,
    });
  }
  return unused;
}
