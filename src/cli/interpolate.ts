/**
 * Compose variable interpolation and `.env` files, as the Compose Specification defines them
 * (https://github.com/compose-spec/compose-spec/blob/main/12-interpolation.md and Docker's
 * https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/):
 * `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
 * `${VAR:+replacement}`, `${VAR+replacement}`, nested in the argument; `$$` is a literal `$`; a `$`
 * not followed by a name or `{` stays as it is.
 */

export type Lookup = (name: string) => string | undefined;

export class InterpolationError extends Error {}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

/**
 * Interpolates `text`. A variable that is unset and has no default is an error when `unset` is
 * `error` (a path built from it would name the wrong file); with `empty` it becomes the empty
 * string, as Compose does (with a warning).
 */
export function interpolate(text: string, lookup: Lookup, unset: 'error' | 'empty'): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar === -1) break;
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const end = closingBrace(text, dollar + 2);
      out += braced(text.slice(dollar + 2, end), lookup, unset);
      i = end + 1;
    } else {
      const name = NAME.exec(text.slice(dollar + 1))?.[0];
      if (name === undefined) {
        out += '$';
        i = dollar + 1;
      } else {
        out += valueOf(name, lookup, unset);
        i = dollar + 1 + name.length;
      }
    }
  }
  return out + text.slice(i);
}

/** The `}` closing a `${` whose body starts at `from`, past nested `${…}`. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  throw new InterpolationError(`unterminated "\${" in "${text}"`);
}

function braced(body: string, lookup: Lookup, unset: 'error' | 'empty'): string {
  const name = NAME.exec(body)?.[0];
  const rest = body.slice(name?.length ?? 0);
  const operator = /^(:?[-?+])?/.exec(rest)![0];
  if (name === undefined || (operator === '' && rest !== '')) throw new InterpolationError(`invalid "\${${body}}"`);
  const value = lookup(name);
  const argument = (): string => interpolate(rest.slice(operator.length), lookup, unset);
  const missing = operator.startsWith(':') ? !value : value === undefined;
  switch (operator) {
    case '':
      return valueOf(name, lookup, unset);
    case '-':
    case ':-':
      return missing ? argument() : value!;
    case '+':
    case ':+':
      return missing ? '' : argument();
    default:
      if (missing) throw new InterpolationError(`${name}: ${argument() || 'required variable is not set'}`);
      return value!;
  }
}

function valueOf(name: string, lookup: Lookup, unset: 'error' | 'empty'): string {
  const value = lookup(name);
  if (value === undefined && unset === 'error') throw new InterpolationError(`variable ${name} is not set`);
  return value ?? '';
}

/**
 * The variables of a `.env` file, as Compose reads it
 * (https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax):
 * `KEY=VALUE` lines, optionally prefixed by `export`; `#` comments; single-quoted values literal;
 * double-quoted values with `\n`, `\t`, `\r`, `\\`, `\"` escapes and interpolation, across lines;
 * unquoted values trimmed, a ` #` starting a comment, interpolated. Interpolation sees
 * `environment`, then the variables defined above in the file (compose-go's
 * dotenv.GetEnvFromFile: the environment wins over the file, there too).
 */
export function parseEnvFile(text: string, environment: Lookup): Map<string, string> {
  const vars = new Map<string, string>();
  const lookup: Lookup = (name) => environment(name) ?? vars.get(name);
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    const match = /^(?:export\s+)?([^\s=#]+)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, key, raw] = match as unknown as [string, string, string];
    const quote = raw[0];
    if (quote === "'" || quote === '"') {
      let value = raw.slice(1);
      // A quoted value may go on over the following lines, up to its closing quote.
      while (closingQuote(value, quote) === -1 && n + 1 < lines.length) value += `\n${lines[++n] ?? ''}`;
      const end = closingQuote(value, quote);
      value = end === -1 ? value : value.slice(0, end);
      vars.set(key, quote === "'" ? value.replace(/\\'/g, "'") : interpolate(unescape(value), lookup, 'empty'));
    } else {
      vars.set(key, interpolate(raw.replace(/\s+#.*$/, '').trim(), lookup, 'empty'));
    }
  }
  return vars;
}

function closingQuote(value: string, quote: string): number {
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\') i++;
    else if (value[i] === quote) return i;
  }
  return -1;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"' };
const unescape = (value: string): string => value.replace(/\\(.)/g, (all, c: string) => ESCAPES[c] ?? all);
