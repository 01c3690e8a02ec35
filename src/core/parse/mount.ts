import type { FlagWord } from './flags.js';

/** One `key[=value]` field of a `--mount` value, with the source span of the field. */
export interface MountOption {
  /** Lower-cased, as BuildKit compares keys. */
  key: string;
  value: string | null;
  start: number;
  end: number;
}

/** A `RUN --mount=…` parsed with BuildKit's rules: CSV fields, case-insensitive keys, aliases. */
export interface Mount {
  flag: FlagWord;
  options: MountOption[];
  /** Lower-cased; BuildKit's default is `bind`. */
  type: string;
  target: string | undefined;
  /** The cache's key: the explicit `id`, else the cleaned target path (BuildKit's default). */
  cacheId: string | undefined;
  /** Lower-cased `sharing` value when given. */
  sharing: string | undefined;
  /** The `uid`/`gid`/`mode` and other options, by canonical key. */
  get(key: string): MountOption | undefined;
}

const ALIASES: Record<string, string> = {
  dst: 'target',
  destination: 'target',
  src: 'source',
  ro: 'readonly',
  rw: 'readwrite',
};

let lastMention: { source: string; answer: boolean } | undefined;

/**
 * A cheap test for rules' prefilters: the text has a `--mount` of type cache somewhere. The last
 * answer is kept: every cache rule's prefilter asks it of the same source.
 */
export function mentionsCacheMount(source: string): boolean {
  if (lastMention?.source !== source) {
    lastMention = { source, answer: /type\s*=\s*["']?cache/i.test(source) && /--mount/i.test(source) };
  }
  return lastMention.answer;
}

const canonicalMountKey = (key: string): string => ALIASES[key] ?? key;

/**
 * Removes repeated and trailing slashes and `.`/`..` segments, as Go's `path.Clean` does (by hand:
 * the engine runs without Node's `path` in the embedded frontend).
 */
export function cleanPath(path: string): string {
  const rooted = path.startsWith('/');
  const kept: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment !== '..') kept.push(segment);
    else if (kept.length > 0 && kept[kept.length - 1] !== '..') kept.pop();
    else if (!rooted) kept.push('..');
  }
  const cleaned = (rooted ? '/' : '') + kept.join('/');
  return cleaned === '' ? '.' : cleaned;
}

/** Parses a `--mount` flag; undefined when BuildKit would reject its CSV. */
export function parseMount(flag: FlagWord): Mount | undefined {
  const fields = splitCsv(flag.value ?? '', flag.valueOffsets);
  if (!fields) return undefined;
  const options: MountOption[] = fields.map((field) => {
    const eq = field.text.indexOf('=');
    const key = canonicalMountKey((eq === -1 ? field.text : field.text.slice(0, eq)).toLowerCase());
    return { key, value: eq === -1 ? null : field.text.slice(eq + 1), start: field.start, end: field.end };
  });
  const byKey = new Map<string, MountOption>();
  for (const option of options) byKey.set(option.key, option);
  const value = (key: string): string | undefined => byKey.get(key)?.value ?? undefined;
  const type = (value('type') ?? 'bind').toLowerCase();
  const target = value('target');
  const id = value('id');
  return {
    flag,
    options,
    type,
    target,
    cacheId: id !== undefined && id !== '' ? id : target !== undefined ? cleanPath(target) : undefined,
    sharing: value('sharing')?.toLowerCase(),
    get: (key: string) => byKey.get(canonicalMountKey(key)),
  };
}

interface CsvField {
  text: string;
  start: number;
  end: number;
}

/**
 * Splits one CSV record as Go's encoding/csv does with its defaults: a field that starts with `"`
 * is quoted (`""` stands for `"`), a quote anywhere else is an error.
 */
function splitCsv(value: string, offsets: number[]): CsvField[] | undefined {
  const fields: CsvField[] = [];
  const endOf = (i: number): number => (i > 0 ? offsets[i - 1]! + 1 : (offsets[0] ?? 0));
  let i = 0;
  for (;;) {
    const fieldStart = i;
    let text = '';
    if (value[i] === '"') {
      i++;
      for (;;) {
        if (i >= value.length) return undefined;
        if (value[i] === '"') {
          if (value[i + 1] === '"') {
            text += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += value[i++]!;
      }
      if (i < value.length && value[i] !== ',') return undefined;
    } else {
      while (i < value.length && value[i] !== ',') {
        if (value[i] === '"') return undefined;
        text += value[i++]!;
      }
    }
    fields.push({ text, start: offsets[fieldStart] ?? endOf(fieldStart), end: endOf(i) });
    if (i >= value.length) return fields;
    i++;
  }
}
