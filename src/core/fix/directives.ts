import { directivesDocUrl } from '../links.js';
import type { LineIndex } from '../parse/source.js';
import type { Finding, RuleSelection } from '../types.js';

/** The rule id of findings about the file's own `# dfrewrite:` directives. */
export const DIRECTIVE_RULE = 'dfrewrite-directive';

/**
 * In-file directives, in comments anywhere below BuildKit's parser directives:
 *   # dfrewrite: off                      no rule runs on this file
 *   # dfrewrite: disable=rule-a,rule-b    these rules do not run on this file
 *   # dfrewrite: enable=rule-a            this rule runs even if the CLI or config turned it off
 *   # dfrewrite: ignore=rule-a            on the comment lines right above an instruction:
 *   # dfrewrite: ignore                   that instruction is left alone (by these rules, or all)
 * The `name:` form can never be read as a BuildKit parser directive (`# key=value`).
 */
export interface Directive {
  /** Zero-based line of the comment. */
  line: number;
  kind: 'off' | 'disable' | 'enable' | 'ignore';
  /** Named rules; empty for `off` and for `ignore` of every rule. */
  rules: string[];
  /** For `ignore`: the zero-based line where the instruction it applies to starts. */
  target?: number;
}

export interface DirectiveProblem {
  line: number;
  message: string;
}

const DIRECTIVE = /^[ \t]*#[ \t]*dfrewrite[ \t]*:(.*)$/i;
const COMMENT = /^[ \t]*#/;
// Kept free of nested or adjacent overlapping repetition: a long line cannot make it backtrack.
const FORM = /^\s*(off|disable|enable|ignore)\s*(?:=(.*))?$/i;
const RULE_ID = /^[A-Za-z0-9_-]+$/;

export function readDirectives(source: string): { directives: Directive[]; problems: DirectiveProblem[] } {
  const directives: Directive[] = [];
  const problems: DirectiveProblem[] = [];
  if (!/dfrewrite\s*:/i.test(source)) return { directives, problems };
  const lines = source.split('\n').map((l) => l.replace(/\r$/, ''));
  lines.forEach((text, line) => {
    const found = DIRECTIVE.exec(text);
    if (!found) return;
    const form = FORM.exec(found[1]!);
    if (!form) {
      problems.push({ line, message: `unreadable dfrewrite directive: use off, disable=…, enable=… or ignore[=…]` });
      return;
    }
    const kind = form[1]!.toLowerCase() as Directive['kind'];
    const rules = (form[2] ?? '')
      .split(',')
      .map((r) => r.trim())
      .filter(Boolean);
    if (kind === 'off' && form[2] !== undefined) {
      problems.push({ line, message: 'dfrewrite directive off takes no value' });
      return;
    }
    const malformed = rules.find((r) => !RULE_ID.test(r));
    if (malformed !== undefined) {
      problems.push({ line, message: `dfrewrite directive names "${malformed}", which is not a rule id` });
      return;
    }
    if ((kind === 'disable' || kind === 'enable') && rules.length === 0) {
      problems.push({ line, message: `dfrewrite directive ${kind}= names no rule` });
      return;
    }
    const directive: Directive = { line, kind, rules: kind === 'off' ? [] : rules };
    if (kind === 'ignore') {
      let next = line + 1;
      while (next < lines.length && COMMENT.test(lines[next]!)) next++;
      if (next >= lines.length || lines[next]!.trim() === '') {
        problems.push({ line, message: 'dfrewrite ignore directive is not right above an instruction' });
        return;
      }
      directive.target = next;
    }
    directives.push(directive);
  });
  return { directives, problems };
}

/** The rule selection once the file's own directives have had their say (they win). */
export function applyFileDirectives(
  selection: RuleSelection,
  allIds: readonly string[],
  directives: Directive[],
): RuleSelection | 'off' {
  if (directives.some((d) => d.kind === 'off')) return 'off';
  const enabled = new Set(selection.enable ?? allIds);
  for (const id of selection.disable ?? []) enabled.delete(id);
  for (const directive of directives) {
    if (directive.kind === 'disable') for (const id of directive.rules) enabled.delete(id);
    if (directive.kind === 'enable') for (const id of directive.rules) enabled.add(id);
  }
  return { enable: allIds.filter((id) => enabled.has(id)) };
}

/**
 * The file's directives as read, their problems (rule ids not in `known` included), and the
 * selection they leave: unknown ids are reported, not applied.
 */
export function resolveDirectives(
  source: string,
  selection: RuleSelection,
  known: readonly string[],
): { directives: Directive[]; problems: DirectiveProblem[]; selection: RuleSelection | 'off' } {
  const { directives, problems } = readDirectives(source);
  const isKnown = new Set(known);
  for (const directive of directives) {
    for (const id of directive.rules) {
      if (!isKnown.has(id))
        problems.push({
          line: directive.line,
          message: `unknown rule "${id}" in dfrewrite directive (known: ${known.join(', ')})`,
        });
    }
  }
  const valid = directives.map((d) => ({ ...d, rules: d.rules.filter((id) => isKnown.has(id)) }));
  return { directives, problems, selection: applyFileDirectives(selection, known, valid) };
}

/** A finding about a directive, on its whole line. */
export function directiveFinding(lines: LineIndex, line: number, message: string): Finding {
  return {
    ruleId: DIRECTIVE_RULE,
    severity: 'warning',
    message,
    range: lines.rangeOf(lines.lineStart(line), lines.lineEnd(line)),
    url: directivesDocUrl,
    fixed: false,
  };
}
