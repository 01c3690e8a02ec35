/**
 * The Dockerfiles a Compose file builds, read as `docker compose build` reads them (the Compose
 * Specification's build section, https://github.com/compose-spec/compose-spec/blob/main/build.md,
 * and include, https://github.com/compose-spec/compose-spec/blob/main/14-include.md):
 * - `build: <dir>` is `<dir>/Dockerfile`; `build.context` (default `.`) is relative to the project
 *   directory (the Compose file's directory); `build.dockerfile` (default `Dockerfile`) is relative
 *   to the context; `build.dockerfile_inline` is the Dockerfile itself.
 * - A remote context (a Git or HTTP URL) cannot be read here: the service is skipped with a note.
 * - Paths are interpolated from the environment over the `.env` file of the project directory;
 *   a path naming a variable that is not set, or a `${VAR:?error}` that fails, skips the service
 *   with a note (Compose would build from another path than the one written).
 * - `include:` files are read too, each with its own project directory and `.env` (or `env_file`),
 *   whose values the including project's environment overrides; `path`, `project_directory` and
 *   `env_file` are interpolated and relative to the including file. Each Compose file is read once
 *   per run, which also stops include cycles.
 */
import { readFile, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { Document, LineCounter } from 'yaml';
import type { SourceRange } from '../core/types.js';
import { describeFsError, InputError } from './errors.js';
import { interpolate, InterpolationError, parseEnvFile, type Lookup } from './interpolate.js';
import { inlineRangeMapper } from './inline-range.js';

interface Origin {
  /** The Compose file, as the user will recognise it. */
  compose: string;
  service: string;
  /** One-based line of the service in the Compose file. */
  line: number;
}

export type ComposeEntry = Origin &
  (
    | { kind: 'file'; path: string }
    | { kind: 'inline'; text: string; toComposeRange: (range: SourceRange) => SourceRange }
    | { kind: 'skipped'; reason: string }
  );

export interface ComposeResult {
  entries: ComposeEntry[];
  errors: InputError[];
}

interface Project {
  /** Where relative contexts are resolved from. */
  directory: string;
  /** An include's `env_file`s (a missing one is an error); undefined: the directory's `.env`, if any. */
  envFiles: string[] | undefined;
  /** The including project's environment, over this one's env files; undefined: the process's. */
  environment?: Lookup;
  /** The Compose file whose `include:` names this one. */
  includedBy?: string;
}

/** Reads a Compose file (and the files it includes), unless this run has read it already. */
export async function readCompose(display: string, read: Set<string>, project?: Project): Promise<ComposeResult> {
  const result: ComposeResult = { entries: [], errors: [] };
  let text: string;
  try {
    const real = await realpath(display);
    if (read.has(real)) return result;
    read.add(real);
    text = await readFile(real, 'utf8');
  } catch (error) {
    const includedBy = project?.includedBy ? ` (included by ${project.includedBy})` : '';
    result.errors.push(new InputError(display, `${describeFsError(error)}${includedBy}`));
    return result;
  }
  const here = project ?? { directory: dirname(display), envFiles: undefined };
  let parsed: Parsed, lookup: Lookup;
  try {
    parsed = await parseCompose(display, text);
    lookup = await environmentOf(here);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    result.errors.push(error);
    return result;
  }
  const { doc, lineCounter, root } = parsed;
  const services = field(root, 'services');
  for (const [service, definition] of Object.entries(isObject(services) ? services : {})) {
    const origin = { compose: display, service, line: serviceLine(doc, lineCounter, service) };
    const inlineNode = (): unknown => doc.getIn(['services', service, 'build', 'dockerfile_inline'], true);
    const entry = buildEntry(field(definition, 'build'), here.directory, lookup, origin, (inline) =>
      inlineRangeMapper(text, inlineNode(), lineCounter, origin, inline),
    );
    if (entry) result.entries.push(entry);
  }
  for (const include of includes(field(root, 'include'))) await readInclude(display, include, lookup, read, result);
  // Said of the file named or found only: an included file is one part of what that file builds.
  if (!project && result.entries.length === 0 && result.errors.length === 0) {
    const line = keyLine(lineCounter, doc.contents, 'services') ?? 1;
    const reason = 'no Dockerfile to check: no service has a build section';
    result.entries.push({ kind: 'skipped', compose: display, service: '', line, reason });
  }
  return result;
}

interface Parsed {
  doc: Document;
  lineCounter: LineCounter;
  root: unknown;
}

/** The YAML document, or an input error naming the line at fault. */
async function parseCompose(display: string, text: string): Promise<Parsed> {
  const { parseDocument, LineCounter: Counter } = await loadYaml();
  const lineCounter: LineCounter = new Counter();
  const doc = parseDocument(text, { lineCounter, merge: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0].line;
    const message = yamlError.message.split(/ at line \d+/)[0] ?? yamlError.message;
    const where = line === undefined ? '' : `line ${line}: `;
    throw new InputError(display, `${where}not a valid Compose file: ${message}`, line);
  }
  try {
    return { doc, lineCounter, root: doc.toJS() };
  } catch (error) {
    // Aliases that cannot be resolved, a merge key on a scalar, …
    throw new InputError(display, `not a valid Compose file: ${(error as Error).message}`);
  }
}

/** One `include:` entry: its files, read with their own project directory and `.env`. */
async function readInclude(
  display: string,
  include: Include,
  lookup: Lookup,
  read: Set<string>,
  result: ComposeResult,
): Promise<void> {
  const base = dirname(display);
  const resolve = (path: string): string => under(base, interpolate(path, lookup, 'error'));
  let paths: string[], directory: string, envFiles: string[] | undefined;
  try {
    paths = include.paths.map(resolve);
    directory = include.projectDirectory === undefined ? dirname(paths[0]!) : resolve(include.projectDirectory);
    envFiles = include.envFiles?.map(resolve);
  } catch (error) {
    if (!(error instanceof InterpolationError)) throw error;
    const reason = `include of ${include.paths.join(', ')} skipped: ${error.message}`;
    result.entries.push({ kind: 'skipped', compose: display, service: '', line: 1, reason });
    return;
  }
  for (const path of paths) {
    const included = await readCompose(path, read, { directory, envFiles, environment: lookup, includedBy: display });
    result.entries.push(...included.entries);
    result.errors.push(...included.errors);
  }
}

function buildEntry(
  build: unknown,
  directory: string,
  lookup: Lookup,
  origin: Origin,
  inlineMapper: (inline: string) => (range: SourceRange) => SourceRange,
): ComposeEntry | undefined {
  if (build === undefined || build === null) return undefined;
  const context = typeof build === 'string' ? build : field(build, 'context');
  const dockerfile = field(build, 'dockerfile');
  const inline = field(build, 'dockerfile_inline');
  const skipped = (reason: string): ComposeEntry => ({ kind: 'skipped', ...origin, reason });
  try {
    if (typeof inline === 'string') {
      // Compose interpolates the whole file, the inline Dockerfile too (`$$` for a literal `$`).
      const text = interpolate(inline, lookup, 'empty');
      return { kind: 'inline', ...origin, text, toComposeRange: inlineMapper(text) };
    }
    const contextPath = interpolate(typeof context === 'string' ? context : '.', lookup, 'error');
    if (isRemote(contextPath)) return skipped(`remote build context ${contextPath} skipped: it cannot be read here`);
    const dockerfilePath = interpolate(typeof dockerfile === 'string' ? dockerfile : 'Dockerfile', lookup, 'error');
    return { kind: 'file', ...origin, path: under(under(directory, contextPath), dockerfilePath) };
  } catch (error) {
    if (!(error instanceof InterpolationError)) throw error;
    return skipped(`build skipped: ${error.message}`);
  }
}

/** Git and HTTP contexts, as Docker recognises them: a URL, `git@host:repo`, or `github.com/…`. */
const isRemote = (context: string): boolean => /^([a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/)/i.test(context);

interface Include {
  paths: string[];
  projectDirectory?: string;
  envFiles?: string[];
}

/** `include:` entries: a path, or `{ path: one or a list, project_directory, env_file: one or a list }`. */
function includes(value: unknown): Include[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item): Include[] => {
    if (typeof item === 'string') return [{ paths: [item] }];
    const paths = strings(field(item, 'path'));
    if (paths.length === 0) return [];
    const projectDirectory = field(item, 'project_directory');
    const envFiles = field(item, 'env_file');
    return [
      {
        paths,
        ...(typeof projectDirectory === 'string' ? { projectDirectory } : {}),
        ...(envFiles === undefined ? {} : { envFiles: strings(envFiles) }),
      },
    ];
  });
}

/**
 * The process environment (for an included file, the including project's) over the project's `.env`
 * (or its `env_file`s), as Compose reads them.
 */
async function environmentOf(project: Project): Promise<Lookup> {
  const fromFiles = new Map<string, string>();
  const env: Lookup = project.environment ?? ((name) => process.env[name]);
  for (const file of project.envFiles ?? [join(project.directory, '.env')]) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (project.envFiles === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      const namedBy = project.includedBy ? ` (env_file of an include in ${project.includedBy})` : '';
      throw new InputError(file, `${describeFsError(error)}${namedBy}`);
    }
    for (const [key, value] of parseEnvFile(text, (name) => env(name) ?? fromFiles.get(name)))
      fromFiles.set(key, value);
  }
  return (name) => env(name) ?? fromFiles.get(name);
}

const serviceLine = (doc: Document, lineCounter: LineCounter, service: string): number =>
  keyLine(lineCounter, doc.get('services', true), service) ?? 1;

/** The one-based line of `key` in the YAML mapping `node`, if it is there. */
function keyLine(lineCounter: LineCounter, node: unknown, key: string): number | undefined {
  const map = node as { items?: { key?: { value?: unknown; range?: number[] } }[] } | undefined;
  const found = map?.items?.find((pair) => pair.key?.value === key)?.key;
  return found?.range ? lineCounter.linePos(found.range[0]!).line : undefined;
}

const under = (base: string, path: string): string => (isAbsolute(path) ? path : join(base, path));
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const field = (value: unknown, key: string): unknown => (isObject(value) ? value[key] : undefined);
const strings = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');

/** The YAML library loads only when a Compose file is read (a separate chunk of the CLI bundle). */
async function loadYaml(): Promise<typeof import('yaml')> {
  const yaml = await import('yaml');
  return (yaml as unknown as { default?: typeof yaml }).default ?? yaml;
}
