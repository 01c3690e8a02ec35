/**
 * The configuration file: found from a Dockerfile's directory upwards (.dfrewrite.json,
 * .dfrewrite.yaml, .dfrewrite.yml, or a "dfrewrite" key in package.json), or named outright, and
 * validated against the schema built from the rule list. Every problem is a ConfigError naming the
 * file, the key, and what is allowed.
 */
import { basename, dirname, extname, resolve } from 'node:path';
import { lilconfig, type LilconfigResult, type Loader } from 'lilconfig';
import type { RewriteOptions } from '../core/types.js';
import { ConfigError } from './errors.js';

export { ConfigError };

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

export const CONFIG_FILES = ['.dfrewrite.json', '.dfrewrite.yaml', '.dfrewrite.yml'] as const;
const PACKAGE_KEY = 'dfrewrite';

const jsonLoader: Loader = (file, content) => {
  try {
    return JSON.parse(content) as unknown;
  } catch (error) {
    throw new ConfigError(file, `not valid JSON: ${(error as Error).message}`);
  }
};

// The YAML parser and the schema validator load only when a configuration file is there: most
// runs have none, and the CLI's start-up time matters in pre-commit hooks.
const yamlLoader: Loader = async (file, content) => {
  const yaml = await import('yaml');
  // bundled, the CommonJS package comes as its default export
  const { parse } = (yaml as unknown as { default?: typeof yaml }).default ?? yaml;
  try {
    return parse(content) as unknown;
  } catch (error) {
    const linePos = (error as { linePos?: { line: number }[] }).linePos;
    const where = linePos?.[0] ? ` (line ${linePos[0].line})` : '';
    throw new ConfigError(
      file,
      `not valid YAML${where}: ${(error as Error).message.split('\n')[0]!.replace(/:\s*$/, '')}`,
    );
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
    throw new ConfigError(
      path,
      'a configuration file is .json, .yaml or .yml (or a package.json with a "dfrewrite" key)',
    );
  }
  let result: LilconfigResult;
  try {
    result = await searcher.load(file);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      path,
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message,
    );
  }
  if (name === 'package.json' && (result === null || result.config === undefined || result.config === null)) {
    throw new ConfigError(path, `has no "${PACKAGE_KEY}" key`);
  }
  return (await checked(result ?? { filepath: file, config: {} })) ?? { file, config: {} };
}

function rethrow(where: string) {
  return (error: unknown): never => {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(where, `cannot read the configuration: ${(error as Error).message}`);
  };
}

async function checked(result: LilconfigResult): Promise<LoadedConfig | null> {
  if (result === null) return null;
  const { validateConfig } = await import('./validate.js');
  return { file: result.filepath, config: validateConfig(result.isEmpty ? {} : result.config, result.filepath) };
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
export function toRewriteOptions(
  config: DfrewriteConfig | null | undefined,
  overrides: ConfigOverrides = {},
): RewriteOptions {
  const settings = config?.rules ?? {};
  const off = Object.entries(settings)
    .filter(([, s]) => !isEnabled(s))
    .map(([id]) => id);
  const enable = overrides.enable ? [...overrides.enable] : undefined;
  const disable = [...(enable ? [] : off), ...(overrides.disable ?? [])];
  return {
    rules: { ...(enable ? { enable } : {}), ...(disable.length > 0 ? { disable } : {}) },
    applySuggested: overrides.applySuggested ?? config?.applySuggested ?? false,
  };
}
