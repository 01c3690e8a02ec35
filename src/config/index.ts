/** The configuration file, for the CLI and for library users. */
export {
  ConfigError,
  CONFIG_FILES,
  findConfig,
  findConfigFromDirectory,
  isEnabled,
  loadConfigFile,
  toRewriteOptions,
  type ConfigOverrides,
  type DfrewriteConfig,
  type LoadedConfig,
  type RuleSetting,
} from './load.js';
export { configSchema, SCHEMA_ID, type JsonSchema } from './schema.js';
export { validateConfig } from './validate.js';
