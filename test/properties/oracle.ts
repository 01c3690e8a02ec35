/**
 * An independent, deliberately small reading of a Dockerfile the way BuildKit's parser reads it
 * (frontend/dockerfile/parser: directives, line continuations, comments inside continuations,
 * heredoc bodies; instructions/parse.go: extractBuilderFlags; the `--mount` CSV), written from
 * BuildKit's rules rather than from the engine's code. Used as an oracle: after a rewrite, every
 * cache mount that shares an apt cache's id must say how it shares it.
 */

export interface OracleMount {
  /** 1-based line of the instruction. */
  line: number;
  type: string;
  target: string | undefined;
  id: string;
  sharing: string | undefined;
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/;

export interface SplitInstruction {
  /** 1-based line of the instruction. */
  line: number;
  /** The logical line (continuations joined, comments inside them dropped). */
  text: string;
  keyword: string;
  /** Source offsets: from the first character of the keyword to the end of the last line (heredoc bodies included). */
  start: number;
  end: number;
  heredocs: number;
  /** First line of each heredoc body, raw. */
  heredocFirstLines: string[];
}

/** The instructions as BuildKit's parser splits them, with their source spans. */
export function logicalInstructions(source: string): SplitInstruction[] {
  const raw = source.split('\n');
  const lineStarts: number[] = [];
  let offset = 0;
  for (const l of raw) {
    lineStarts.push(offset);
    offset += l.length + 1;
  }
  const lineEnd = (k: number): number => lineStarts[k]! + raw[k]!.length - (raw[k]!.endsWith('\r') ? 1 : 0);
  const lines = raw.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines[0]?.startsWith('\uFEFF')) lines[0] = lines[0].slice(1);
  let escape = '\\';
  let i = 0;
  const seen = new Set<string>();
  for (; i < lines.length; i++) {
    const match = DIRECTIVE.exec(lines[i]!);
    if (!match) break;
    const key = match[1]!.toLowerCase();
    if (key !== 'escape' && key !== 'syntax' && key !== 'check') break;
    if (seen.has(key)) break;
    seen.add(key);
    if (key === 'escape') escape = match[2]!;
  }
  const e = escape.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  const continuation = new RegExp(`(?:([^${e}])${e}|^${e})[ \\t]*$`);
  const isBlankOrComment = (l: string): boolean => /^\s*(#.*)?$/.test(l);
  const out: SplitInstruction[] = [];
  while (i < lines.length) {
    const first = lines[i]!;
    if (isBlankOrComment(first)) {
      i++;
      continue;
    }
    const start = i;
    const startOffset = lineStarts[i]! + (first.length - first.replace(/^[\s\uFEFF]+/, '').length);
    let text = first.replace(/^\s+/, '');
    i++;
    for (;;) {
      const m = continuation.exec(text);
      if (!m) break;
      text = text.slice(0, m.index) + (m[1] ?? '');
      // Comment lines and blank lines inside a continuation are skipped.
      while (i < lines.length && isBlankOrComment(lines[i]!)) i++;
      if (i >= lines.length) break;
      text += lines[i]!;
      i++;
    }
    const keyword = (/^\s*(\S+)/.exec(text.replace(/^\uFEFF/, ''))?.[1] ?? '').toUpperCase();
    const instruction: SplitInstruction = {
      line: start + 1,
      text,
      keyword,
      start: startOffset,
      end: lineEnd(i - 1),
      heredocs: 0,
      heredocFirstLines: [],
    };
    out.push(instruction);
    // Heredoc bodies follow the logical line of RUN, COPY and ADD.
    const trigger = keyword === 'ONBUILD' ? /^\s*\S+\s+(\S+)/.exec(text)?.[1]?.toUpperCase() : keyword;
    if (trigger === 'RUN' || trigger === 'COPY' || trigger === 'ADD') {
      for (const heredoc of text.matchAll(/(?:^|\s)\d*<<(-?)(["']?)([^\s<"']+)\2(?=\s|$)/g)) {
        const chomp = heredoc[1] === '-';
        const name = heredoc[3]!;
        instruction.heredocs++;
        instruction.heredocFirstLines.push(lines[i] ?? '');
        while (i < lines.length) {
          const body = chomp ? lines[i]!.replace(/^\t+/, '') : lines[i]!;
          i++;
          if (body === name) break;
        }
        instruction.end = lineEnd(i - 1);
      }
    }
  }
  return out;
}

/** BuildKit's extractBuilderFlags: `--` words at the start, quotes removed, `\` takes the next character. */
function builderFlags(args: string): string[] {
  const words: string[] = [];
  let pos = 0;
  for (;;) {
    while (pos < args.length && /\s/.test(args[pos]!)) pos++;
    if (!args.startsWith('--', pos)) return words;
    let word = '';
    let quote = '';
    let blankOk = false;
    for (; pos < args.length; pos++) {
      const ch = args[pos]!;
      if (quote) {
        if (ch === quote) quote = '';
        else if (ch === '\\' && pos + 1 < args.length) word += args[++pos]!;
        else word += ch;
        continue;
      }
      if (/\s/.test(ch)) break;
      if (ch === '"' || ch === "'") {
        quote = ch;
        blankOk = true;
      } else if (ch === '\\') {
        if (pos + 1 < args.length) word += args[++pos]!;
      } else {
        word += ch;
      }
    }
    if (word === '--') return words;
    if (blankOk || word.length > 0) words.push(word);
  }
}

/** Go's encoding/csv, one record, default options; undefined on a parse error. */
function csvFields(value: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (value[i] === '"') {
      i++;
      for (;;) {
        if (i >= value.length) return undefined;
        if (value[i] === '"') {
          if (value[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += value[i++]!;
      }
      if (i < value.length && value[i] !== ',') return undefined;
    } else {
      while (i < value.length && value[i] !== ',') {
        if (value[i] === '"') return undefined;
        field += value[i++]!;
      }
    }
    fields.push(field);
    if (i >= value.length) return fields;
    i++;
  }
}

function cleanPath(path: string): string {
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!absolute) parts.push('..');
      continue;
    }
    parts.push(part);
  }
  const joined = parts.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

const ALIASES: Record<string, string> = {
  dst: 'target',
  destination: 'target',
  src: 'source',
  ro: 'readonly',
  rw: 'readwrite',
};

export function runMounts(source: string): OracleMount[] {
  const mounts: OracleMount[] = [];
  for (const { line, text } of logicalInstructions(source)) {
    const m = /^(\S+)\s*(.*)$/s.exec(text);
    if (!m) continue;
    let keyword = m[1]!.toUpperCase();
    let args = m[2]!;
    if (keyword === 'ONBUILD') {
      const t = /^(\S+)\s*(.*)$/s.exec(args);
      if (!t) continue;
      keyword = t[1]!.toUpperCase();
      args = t[2]!;
    }
    if (keyword !== 'RUN') continue;
    for (const flag of builderFlags(args)) {
      const eq = flag.indexOf('=');
      if (eq === -1 || flag.slice(2, eq).toLowerCase() !== 'mount') continue;
      const fields = csvFields(flag.slice(eq + 1));
      if (!fields) continue;
      const options = new Map<string, string | null>();
      for (const field of fields) {
        const feq = field.indexOf('=');
        const key = (feq === -1 ? field : field.slice(0, feq)).toLowerCase();
        options.set(ALIASES[key] ?? key, feq === -1 ? null : field.slice(feq + 1));
      }
      const target = options.get('target') ?? undefined;
      const id = options.get('id') ?? '';
      mounts.push({
        line,
        type: (options.get('type') ?? 'bind').toLowerCase(),
        target,
        id: id !== '' ? id : target !== undefined ? cleanPath(target) : '',
        sharing: options.get('sharing')?.toLowerCase() ?? undefined,
      });
    }
  }
  return mounts;
}

const APT_DIRS = new Set(['/var/cache/apt', '/var/cache/apt/archives', '/var/lib/apt', '/var/lib/apt/lists']);

/** Cache mounts that share an id with an apt cache and leave `sharing` unset. */
export function unlockedAptCaches(source: string): OracleMount[] {
  const caches = runMounts(source).filter((m) => m.type === 'cache' && m.id !== '');
  const aptIds = new Set(
    caches.filter((m) => m.target !== undefined && APT_DIRS.has(cleanPath(m.target))).map((m) => m.id),
  );
  return caches.filter((m) => aptIds.has(m.id) && m.sharing === undefined);
}
