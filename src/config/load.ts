/**
 * The configuration file: found from a Dockerfile's directory upwards (.dfrewrite.json,
 * .dfrewrite.yaml, .dfrewrite.yml, or a "dfrewrite" key in package.json), or named outright, and
 * validated against the schema built from the rule list. Every problem is a ConfigError naming the
 * file, the key, and what is allowed.
 */
import { basename, dirname, extname, resolve } from 'node:path';
import { lilconfig, type LilconfigResult, type Loader } from 'lilconfig';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { allRules } from '../rules/index.js';
import type { RewriteOptions } from '../core/types.js';
import { configSchema, RULE_SWITCHES, type JsonSchema } from './schema.js';

/** A rule's setting: "on", "off", or an object that can carry the rule's options. */
export type RuleSetting = 'on' | 'off' | { enabled?: boolean; options?: Record<string, unknown> };

export interface DfrewriteConfig {
  $schema?: string;
  rules?: Record<string, RuleSetting>;
  applySuggested?: boolean;
}

export interface LoadedConfig {
  /** The file it came from (absolute). */
  file: string;
  config: DfrewriteConfig;
}

export class ConfigError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ConfigError';
  }
}

export const CONFIG_FILES = ['.dfrewrite.json', '.dfrewrite.yaml', '.dfrewrite.yml'] as const;
const PACKAGE_KEY = 'dfrewrite';

const jsonLoader: Loader = (file, content) => {
  try {
    return JSON.parse(content);
  } catch (error) {
    throw new ConfigError(file, `not valid JSON: ${(error as Error).message}`);
  }
};

const yamlLoader: Loader = (file, content) => {
  try {
    return parseYaml(content);
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` (line ${error.linePos[0].line})` : '';
    throw new ConfigError(file, `not valid YAML${where}: ${(error as Error).message.split('\n')[0]!.replace(/:\s*$/, '')}`);
  }
};

const searcher = lilconfig(PACKAGE_KEY, {
  searchPlaces: ['package.json', ...CONFIG_FILES],
  packageProp: PACKAGE_KEY,
  loaders: { '.json': jsonLoader, '.yaml': yamlLoader, '.yml': yamlLoader },
  // An empty .dfrewrite.json is no setting at all, not a reason to stop looking further up.
  ignoreEmptySearchPlaces: true,
});

/**
 * The configuration that applies to a Dockerfile: the nearest one from the file's directory
 * upwards, or null. Results are cached per directory for the life of the process.
 */
export async function findConfig(dockerfile: string): Promise<LoadedConfig | null> {
  return findConfigFromDirectory(dirname(resolve(dockerfile)));
}

/** Finds the configuration for a directory (for standard input: the working directory). */
export async function findConfigFromDirectory(dir: string): Promise<LoadedConfig | null> {
  return checked(await searcher.search(resolve(dir)).catch(rethrow(dir)));
}

/** Loads a configuration file named outright (`--config PATH`). */
export async function loadConfigFile(path: string): Promise<LoadedConfig> {
  const file = resolve(path);
  const name = basename(file);
  if (name !== 'package.json' && !['.json', '.yaml', '.yml'].includes(extname(name))) {
    throw new ConfigError(path, 'a configuration file is .json, .yaml or .yml (or a package.json with a "dfrewrite" key)');
  }
  let result: LilconfigResult;
  try {
    result = await searcher.load(file);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(path, code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message);
  }
  if (name === 'package.json' && (result === null || result.config === undefined || result.config === null)) {
    throw new ConfigError(path, `has no "${PACKAGE_KEY}" key`);
  }
  return checked(result ?? { filepath: file, config: {} }) ?? { file, config: {} };
}

function rethrow(where: string) {
  return (error: unknown): never => {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(where, `cannot read the configuration: ${(error as Error).message}`);
  };
}

function checked(result: LilconfigResult): LoadedConfig | null {
  if (result === null) return null;
  return { file: result.filepath, config: validateConfig(result.isEmpty ? {} : result.config, result.filepath) };
}

let validator: ValidateFunction | undefined;
let schema: JsonSchema | undefined;

/** Checks a parsed configuration against the schema; throws a ConfigError naming the first problem. */
export function validateConfig(value: unknown, file: string): DfrewriteConfig {
  schema ??= configSchema(allRules);
  validator ??= new Ajv({ allErrors: true, verbose: true, strict: false }).compile(schema);
  if (value === null || value === undefined) value = {};
  if (validator(value)) return value as DfrewriteConfig;
  const errors = validator.errors ?? [];
  throw new ConfigError(file, describe(pickErrors(errors, value)));
}

/** Among the branches of an `anyOf`, the errors of the branch whose type matches the value. */
function pickErrors(errors: ErrorObject[], root: unknown): ErrorObject[] {
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf');
  let kept = errors.filter((e) => e.keyword !== 'anyOf');
  for (const anyOf of anyOfs) {
    const branches = anyOf.schema as JsonSchema[];
    const data = valueAt(root, anyOf.instancePath);
    const index = branches.findIndex((b) => b.type === jsonType(data));
    const prefix = `${anyOf.schemaPath.replace(/\/anyOf$/, '')}/anyOf/`;
    const inBranch = (e: ErrorObject): boolean => e.schemaPath.startsWith(prefix);
    if (index < 0) {
      kept = kept.filter((e) => !inBranch(e));
      kept.push(anyOf);
    } else {
      kept = kept.filter((e) => !inBranch(e) || e.schemaPath.startsWith(`${prefix}${index}/`));
    }
  }
  return kept;
}

function describe(errors: ErrorObject[]): string {
  const lines = errors.map((error) => {
    const key = keyName(error.instancePath);
    switch (error.keyword) {
      case 'additionalProperty':
      case 'additionalProperties': {
        const unknown = String((error.params as { additionalProperty: string }).additionalProperty);
        const allowed = Object.keys(((error.parentSchema as JsonSchema).properties ?? {}) as object);
        const where = key ? `${key}.${unknown}` : unknown;
        if (error.instancePath === '/rules') return `rules: unknown rule "${unknown}" (known: ${allowed.join(', ')})`;
        if (error.instancePath.endsWith('/options')) {
          return `${where}: unknown option "${unknown}" (${allowed.length ? `allowed: ${allowed.join(', ')}` : 'this rule has no options'})`;
        }
        return `${where}: unknown key "${unknown}" (allowed: ${allowed.join(', ')})`;
      }
      case 'enum': {
        const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v));
        const rule = error.instancePath.startsWith('/rules/') ? ' or an object { enabled, options }' : '';
        return `${key}: ${JSON.stringify(error.data)} is not allowed (allowed: ${allowed.join(', ')}${rule})`;
      }
      case 'type':
        return `${key || '(top level)'}: must be ${(error.params as { type: string }).type}, not ${jsonType(error.data)}`;
      case 'anyOf':
        return `${key}: must be ${RULE_SWITCHES.map((s) => JSON.stringify(s)).join(', ')} or an object { enabled, options }, not ${jsonType(error.data)}`;
      default:
        return `${key || '(top level)'}: ${error.message ?? 'invalid'}`;
    }
  });
  return [...new Set(lines)].join('; ');
}

/** `/rules/cache-mount-sharing/enabled` → `rules.cache-mount-sharing.enabled` */
function keyName(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const part of pointer.split('/').slice(1)) {
    value = (value as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

/** Whether a rule's setting turns it on. */
export function isEnabled(setting: RuleSetting): boolean {
  return typeof setting === 'string' ? setting === 'on' : setting.enabled !== false;
}

/** Flags given on the command line (or by a library caller): they win over the file. */
export interface ConfigOverrides {
  enable?: readonly string[] | undefined;
  disable?: readonly string[] | undefined;
  applySuggested?: boolean | undefined;
}

/**
 * The options for rewrite(): the file's rules and applySuggested, with the overrides on top
 * (`enable` runs exactly those rules, `disable` removes rules). In-file directives, applied by
 * rewrite() itself, win over both.
 */
export function toRewriteOptions(config: DfrewriteConfig | null | undefined, overrides: ConfigOverrides = {}): RewriteOptions {
  const settings = config?.rules ?? {};
  const off = Object.entries(settings).filter(([, s]) => !isEnabled(s)).map(([id]) => id);
  const enable = overrides.enable ? [...overrides.enable] : undefined;
  const disable = [...(enable ? [] : off), ...(overrides.disable ?? [])];
  return {
    rules: { ...(enable ? { enable } : {}), ...(disable.length > 0 ? { disable } : {}) },
    applySuggested: overrides.applySuggested ?? config?.applySuggested ?? false,
  };
}
