/** The regression fixtures folder, shared by the regression test and the fuzz campaign. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const REGRESSIONS = join(REPO, 'test', 'fixtures', 'regressions');

/** Fixtures named `valid-*` are files BuildKit parses: refusing them is a failure too. */
export const mustRewrite = (name: string): boolean => name.startsWith('valid-');

export function listFixtures(): string[] {
  if (!existsSync(REGRESSIONS)) return [];
  return readdirSync(REGRESSIONS)
    .filter((name) => name.endsWith('.Dockerfile'))
    .sort();
}

/** Byte-exact: no line-ending or BOM conversion either way. */
export function readFixture(name: string): string {
  return readFileSync(join(REGRESSIONS, name)).toString('utf8');
}

/** Writes a counterexample; the name carries the broken property and a hash of the bytes. */
export function writeFixture(property: string, source: string, valid: boolean): string {
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 10);
  const name = `${valid ? 'valid-' : ''}fuzz-${property.replace(/[^a-z0-9-]/gi, '_')}-${hash}.Dockerfile`;
  mkdirSync(REGRESSIONS, { recursive: true });
  writeFileSync(join(REGRESSIONS, name), source, 'utf8');
  return name;
}
