/** `--report-unused-directives`: the `ignore` directives of a file that suppressed nothing. */
import { directiveFinding, resolveDirectives } from '../core/fix/directives.js';
import { LineIndex } from '../core/parse/source.js';
import type { Finding, RewriteResult, RuleSelection } from '../core/types.js';
import { allRules } from '../rules/index.js';

export { DIRECTIVE_RULE } from '../core/fix/directives.js';

/**
 * One finding per unused `# dfrewrite: ignore` directive. A directive is only judged when a rule it
 * names ran on the file (an ignore of a rule turned off by the command line, the config or the file
 * has nothing to suppress by design); directives naming only unknown rules are already findings.
 */
export function unusedIgnores(source: string, result: RewriteResult, selection: RuleSelection): Finding[] {
  const known = allRules.map((rule) => rule.id);
  const { directives, selection: effective } = resolveDirectives(source, selection, known);
  const ignores = directives.filter((d) => d.kind === 'ignore');
  if (ignores.length === 0 || effective === 'off') return [];
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
    unused.push(
      directiveFinding(
        lines,
        directive.line,
        `unused dfrewrite ignore directive: ${what} reported nothing on the instruction below it (remove the directive)`,
      ),
    );
  }
  return unused;
}
