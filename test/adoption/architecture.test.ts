/** docs/architecture.md is the map of src/: every folder there is named in its "Folders" list. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

function folders(dir: string): string[] {
  const below = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  return below.flatMap((entry) => [join(dir, entry.name), ...folders(join(dir, entry.name))]);
}

it('docs/architecture.md names every folder of src/, and only those', () => {
  const page = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
  const list = page.slice(page.indexOf('## Folders'));
  const named = [...list.matchAll(/`(src\/[^`]*)\/`/g)].map((m) => m[1]).sort();
  const actual = folders(join(ROOT, 'src'))
    .map((dir) => relative(ROOT, dir))
    .sort();
  expect(named).toEqual(actual);
});
