/**
 * The configuration file's JSON Schema, built from the rule list: one place that says which keys,
 * rules and values a config may hold. The CLI validates with it, and schema/dfrewrite.schema.json
 * (for editors) is this object written out (a test keeps the two equal).
 */
import type { Rule } from '../core/rule.js';
import { HOMEPAGE, ruleDocUrl } from '../core/links.js';

/** A JSON Schema (draft-07) object; loose on purpose, it is data. */
export type JsonSchema = { [key: string]: unknown };

/**
 * A rule may declare options later by carrying a JSON Schema for each (`optionsSchema` on the
 * rule object). None does today, so every rule's `options` object admits no key.
 */
type RuleWithOptions = Rule & { optionsSchema?: Record<string, JsonSchema> };

export const SCHEMA_ID = `${HOMEPAGE.replace('https://github.com/', 'https://raw.githubusercontent.com/')}/main/schema/dfrewrite.schema.json`;

/** The values a rule's setting may take besides an object. */
export const RULE_SWITCHES = ['on', 'off'] as const;

export function configSchema(rules: readonly Rule[]): JsonSchema {
  const ruleEntries = Object.fromEntries(rules.map((rule) => [rule.id, ruleSettingSchema(rule as RuleWithOptions)]));
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'dfrewrite configuration',
    description:
      'Settings for dfrewrite (.dfrewrite.json, .dfrewrite.yaml, or the "dfrewrite" key of package.json). Command-line flags override them; in-file "# dfrewrite:" directives override both.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: 'The JSON Schema this file follows (for editors).' },
      rules: {
        type: 'object',
        description: 'Rules on or off (every rule is on unless turned off), and their options.',
        additionalProperties: false,
        properties: ruleEntries,
      },
      applySuggested: {
        type: 'boolean',
        default: false,
        description:
          'Apply suggested fixes too (safe fixes are always applied). --apply-suggested and --no-apply-suggested override it.',
      },
    },
  };
}

function ruleSettingSchema(rule: RuleWithOptions): JsonSchema {
  return {
    description: `${rule.summary} (${rule.fixLevel} fix) — ${ruleDocUrl(rule.id)}`,
    anyOf: [
      { type: 'string', enum: [...RULE_SWITCHES] },
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          enabled: { type: 'boolean', default: true, description: 'Whether the rule runs.' },
          options: {
            type: 'object',
            description: rule.optionsSchema ? `Options of ${rule.id}.` : `${rule.id} has no options yet.`,
            additionalProperties: false,
            properties: rule.optionsSchema ?? {},
          },
        },
      },
    ],
  };
}
