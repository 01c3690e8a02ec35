/** Checks a parsed configuration file against the schema built from the rule list. */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { allRules } from '../rules/index.js';
import { ConfigError } from './errors.js';
import type { DfrewriteConfig } from './load.js';
import { configSchema, RULE_SWITCHES, type JsonSchema } from './schema.js';

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
        const unknown = (error.params as { additionalProperty: string }).additionalProperty;
        const allowed = Object.keys((error.parentSchema as JsonSchema).properties ?? {});
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
