/**
 * The `# syntax=` directive, found as the Dockerfile frontend finds it
 * (frontend/dockerfile/parser/directives.go, DetectSyntax, BuildKit v0.25): among the parser
 * directives at the top of the file (after a byte order mark and a `#!` line), then as a
 * `// syntax=` directive, then as the `syntax` key of a file that is one JSON object.
 */

const KNOWN_DIRECTIVES = new Set(['syntax', 'check', 'escape']);

/** `ref`: the image (first word); `cmdline`: the directive's whole value, as BuildKit passes it. */
export interface SyntaxDirective {
  ref: string;
  cmdline: string;
}

export function detectSyntax(data: Buffer): SyntaxDirective | undefined {
  let text = data.toString('utf8');
  if (text.startsWith('\ufeff')) text = text.slice(1);
  const firstBreak = text.indexOf('\n');
  if (text.startsWith('#!')) text = firstBreak === -1 ? '' : text.slice(firstBreak + 1);
  const value = fromDirectives(text, '#') ?? fromDirectives(text, '//') ?? fromJson(text);
  if (value === undefined) return undefined;
  const space = value.indexOf(' ');
  return { ref: space === -1 ? value : value.slice(0, space), cmdline: value };
}

/** Directives end at the first line that is not one (or names an unknown one). */
function fromDirectives(text: string, comment: string): string | undefined {
  const directive = new RegExp(`^${comment}\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$`);
  const seen = new Set<string>();
  // bufio.ScanLines: lines split at \n, a trailing \r dropped.
  for (const rawLine of text.split('\n')) {
    const match = directive.exec(rawLine.replace(/\r$/, ''));
    if (!match) return undefined;
    const name = match[1]!.toLowerCase();
    if (!KNOWN_DIRECTIVES.has(name)) return undefined;
    // A repeated directive is an error there: nothing is detected.
    if (seen.has(name)) return undefined;
    seen.add(name);
    if (name === 'syntax') return match[2]!;
  }
  return undefined;
}

function fromJson(text: string): string | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const syntax = (value as Record<string, unknown>).syntax;
      if (typeof syntax === 'string') return syntax;
    }
  } catch {
    // not JSON
  }
  return undefined;
}
