import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { directivesDocUrl, HOMEPAGE, ruleDocUrl } from '../../src/core/links.js';
import { rewrite } from '../../src/core/rewrite.js';
import { allRules } from '../../src/rules/index.js';
import { configSchema } from '../../src/config/schema.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

describe('every link to a rule derives from ruleDocUrl, and ruleDocUrl from package.json homepage', () => {
  it('ruleDocUrl(id) is homepage + /blob/main/docs/rules/<id>.md', () => {
    expect(HOMEPAGE).toBe(pkg.homepage);
    for (const rule of allRules) expect(ruleDocUrl(rule.id)).toBe(`${pkg.homepage}/blob/main/docs/rules/${rule.id}.md`);
    expect(directivesDocUrl).toBe(`${pkg.homepage}/blob/main/docs/directives.md`);
  });

  it('findings and the config schema use it', () => {
    const { findings } = rewrite('FROM debian\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n');
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f.url).toBe(ruleDocUrl(f.ruleId));
    const rules = (configSchema(allRules) as any).properties.rules.properties;
    for (const rule of allRules) expect(rules[rule.id].description).toContain(ruleDocUrl(rule.id));
  });
});
