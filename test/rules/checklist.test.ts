/**
 * Every piece a rule needs, checked for every rule in src/rules/index.ts (as ESLint's
 * checkRuleFiles does): when one is missing, the failure names the file to add or fix. The steps
 * are in CONTRIBUTING.md ("Adding a rule"); the schema is checked by test/adoption/schema.test.ts.
 */
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DockerfileError } from '../../src/core/errors.js';
import { rewrite } from '../../src/core/rewrite.js';
import { allRules } from '../../src/rules/index.js';
import { anyDockerfile } from '../properties/generator.js';

const ROOT = join(import.meta.dirname, '../..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/**
 * The end-to-end tests that show each rule's fix on a real BuildKit, or why there is none. A new
 * rule must be listed here: name its test files in test/e2e/, or give the reason it has none.
 */
const END_TO_END: Record<string, readonly string[] | { none: string }> = {
  'cache-mount-sharing': ['apt-lock.test.ts', 'rules-cargo.test.ts'],
  'uv-emulated-bytecode': ['uv.test.ts', 'seed-multiplatform.test.ts'],
  'platform-args': ['rules-platform-args.test.ts'],
  'cache-mount-owner': ['rules-cache-mount-owner.test.ts'],
  'cache-mount-cleanup': ['rules-cache-mount-cleanup.test.ts'],
  'apt-keep-downloads': {
    none: "what it changes is which .deb files apt keeps between builds; that needs Debian's apt and docker-clean, and the e2e base images are busybox with stand-in tools",
  },
  'bootsnap-emulated-jobs': ['rules-bootsnap.test.ts'],
};

/** The sections every rule page has (docs/rules/<id>.md); a heading may say more after these words. */
const REQUIRED_SECTIONS = ['Why', 'Evidence', 'Before / after', 'Options', 'When not to use it'];

describe.each(allRules.map((rule) => [rule.id, rule] as const))('rule %s', (id, rule) => {
  const page = `docs/rules/${id}.md`;

  it(`has its page, ${page}, with the required sections`, () => {
    expect(existsSync(join(ROOT, page)), `${page} is missing: every finding links to it`).toBe(true);
    const text = read(page);
    expect(text.startsWith(`# ${id}\n`), `${page} must start with "# ${id}"`).toBe(true);
    const headings = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
    for (const section of REQUIRED_SECTIONS) {
      expect(
        headings.some((h) => h.startsWith(section)),
        `${page} has no "## ${section}" section`,
      ).toBe(true);
    }
    const level = /^\*\*Fix level:\*\* (\w+)/m.exec(text)?.[1];
    expect(level, `${page} must say "**Fix level:** ${rule.fixLevel}" as the rule does`).toBe(rule.fixLevel);
    expect(
      /^```dockerfile$/m.test(sectionText(text, 'Before / after')),
      `${page}: Before / after shows no Dockerfile`,
    ).toBe(true);
  });

  it('names its evidence, and its page links to every piece of it', () => {
    expect(rule.evidence.length, `${id}: the rule's evidence list is empty`).toBeGreaterThan(0);
    const evidence = sectionText(read(page), 'Evidence') + sectionText(read(page), 'Why');
    for (const url of rule.evidence) {
      expect(read(page).includes(url), `${page} does not link to the rule's evidence ${url}`).toBe(true);
    }
    expect(/https?:\/\//.test(evidence), `${page}: Why/Evidence has no link`).toBe(true);
  });

  it('has a row in the README table with its page and fix level', () => {
    const row = read('README.md')
      .split('\n')
      .find((line) => line.startsWith(`| [\`${id}\`](docs/rules/${id}.md) |`));
    expect(row, `README.md has no table row "| [\`${id}\`](docs/rules/${id}.md) | … |"`).toBeDefined();
    const level = row!.split('|').at(-2)!.trim();
    expect(
      level.startsWith(rule.fixLevel),
      `README.md row of ${id}: level "${level}", the rule says ${rule.fixLevel}`,
    ).toBe(true);
  });

  it('has a table test', () => {
    const table = `test/rules/${id}.test.ts`;
    expect(existsSync(join(ROOT, table)), `${table} is missing (see test/helpers/rule-table.ts)`).toBe(true);
    expect(read(table), `${table} does not call ruleTable('${id}', …)`).toContain(`ruleTable('${id}'`);
  });

  it('is proven end to end, or says why not', () => {
    const entry = END_TO_END[id];
    expect(
      entry,
      `${id} is not listed in END_TO_END (test/rules/checklist.test.ts): name its e2e test or why none`,
    ).toBeDefined();
    if (entry && 'none' in entry) expect(entry.none.length).toBeGreaterThan(20);
    else
      for (const file of entry ?? []) expect(existsSync(join(ROOT, 'test/e2e', file)), `test/e2e/${file}`).toBe(true);
  });
});

describe('the property generator (test/properties/generator.ts)', () => {
  it('produces files that every rule reports on', { timeout: 60_000 }, () => {
    const seen = new Set<string>();
    for (const source of fc.sample(anyDockerfile, { seed: 20261207, numRuns: 400 })) {
      try {
        for (const f of rewrite(source, { applySuggested: true }).findings) seen.add(f.ruleId);
      } catch (error) {
        if (!(error instanceof DockerfileError)) throw error;
      }
    }
    const never = allRules.map((r) => r.id).filter((id) => !seen.has(id));
    expect(
      never,
      "rules the generator never triggers: add their trigger words to the generator's vocabularies",
    ).toEqual([]);
  });
});

it('END_TO_END lists only rules that exist', () => {
  expect(Object.keys(END_TO_END).filter((id) => !allRules.some((r) => r.id === id))).toEqual([]);
});

/** The text of the first `## heading…` section of a page (empty when it has none). */
function sectionText(page: string, heading: string): string {
  const start = page.search(new RegExp(`^## ${heading}`, 'm'));
  if (start < 0) return '';
  const next = page.indexOf('\n## ', start + 1);
  return page.slice(start, next < 0 ? undefined : next);
}
