import { readFileSync, writeFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { configSchema, SCHEMA_ID } from '../../src/config/schema.js';
import { allRules } from '../../src/rules/index.js';
import pkg from '../../package.json' with { type: 'json' };

const SCHEMA_FILE = 'schema/dfrewrite.schema.json';

describe('schema/dfrewrite.schema.json', () => {
  const generated = `${JSON.stringify(configSchema(allRules), null, 2)}\n`;
  if (process.env.DFREWRITE_WRITE_SCHEMA) writeFileSync(SCHEMA_FILE, generated);

  it('is the schema the CLI validates with, for the current rule list (npm run schema rewrites it)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8'), 'schema/dfrewrite.schema.json is stale: run `npm run schema`').toBe(
      generated,
    );
  });

  it('names every rule, and is a valid draft-07 schema (strict mode)', () => {
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
    const rules = Object.keys(schema.properties.rules.properties);
    expect(rules).toEqual(allRules.map((r) => r.id));
    const validate = new Ajv({ strict: true, strictTypes: false }).compile(schema);
    expect(
      validate({ rules: { [rules[0]!]: 'off', [rules[1]!]: { enabled: true, options: {} } }, applySuggested: true }),
    ).toBe(true);
    expect(validate({ rules: { nope: 'off' } })).toBe(false);
  });

  it('is published at an address derived from package.json homepage', () => {
    expect(SCHEMA_ID).toBe(
      `${pkg.homepage.replace('https://github.com/', 'https://raw.githubusercontent.com/')}/main/${SCHEMA_FILE}`,
    );
    expect((pkg as { files: string[] }).files).toContain(SCHEMA_FILE);
  });
});
