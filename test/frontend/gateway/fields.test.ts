// src/frontend/gateway/fields.ts is what scripts/proto-fields.mjs writes from proto/: a proto change
// without regenerating it fails here, and the generator refuses what it cannot read.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import * as FIELD from '../../../src/frontend/gateway/fields.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the generator, proto/ and fields.ts, with `edit` applied to proto/gateway.proto. */
function copyWith(edit: (proto: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dfrewrite-fields-'));
  dirs.push(dir);
  cpSync('proto', join(dir, 'proto'), { recursive: true });
  mkdirSync(join(dir, 'scripts'));
  cpSync('scripts/proto-fields.mjs', join(dir, 'scripts/proto-fields.mjs'));
  mkdirSync(join(dir, 'src/frontend/gateway'), { recursive: true });
  cpSync('src/frontend/gateway/fields.ts', join(dir, 'src/frontend/gateway/fields.ts'));
  const gateway = join(dir, 'proto/gateway.proto');
  writeFileSync(gateway, edit(readFileSync(gateway, 'utf8')));
  return dir;
}

const check = (root: string) =>
  spawnSync('node', [join(root, 'scripts/proto-fields.mjs'), '--check'], { encoding: 'utf8' });

test('the committed fields.ts is what proto/ gives', () => {
  const run = check('.');
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
});

test('a field renumbered in proto/ without regenerating fails the check; regenerating fixes it', () => {
  const dir = copyWith((proto) => proto.replace('bool Evaluate = 14;', 'bool Evaluate = 15;'));
  const stale = check(dir);
  expect(stale.status).toBe(1);
  expect(stale.stderr).toMatch(/fields\.ts is out of date/);
  expect(spawnSync('node', [join(dir, 'scripts/proto-fields.mjs')]).status).toBe(0);
  expect(readFileSync(join(dir, 'src/frontend/gateway/fields.ts'), 'utf8')).toMatch(/ {2}Evaluate: 15,/);
  expect(check(dir).status).toBe(0);
});

test('a declaration the generator does not read is an error, not a missing name', () => {
  const dir = copyWith((proto) =>
    proto.replace('message ReturnResponse {}', 'message ReturnResponse {\n  reserved 1;\n}'),
  );
  const run = check(dir);
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/proto\/gateway\.proto:\d+: not understood in message ReturnResponse: reserved 1;/);
});

test('names carry upstream field numbers, oneof members and map fields included', () => {
  expect(FIELD.SolveRequest).toEqual({
    Definition: 1,
    Frontend: 2,
    FrontendOpt: 3,
    allowResultReturn: 5,
    allowResultArrayRef: 6,
    FrontendInputs: 13,
    Evaluate: 14,
  });
  expect(FIELD.Result).toEqual({ refDeprecated: 1, ref: 3, refs: 4, metadata: 10 });
  expect(FIELD.FileAction).toEqual({ input: 1, secondaryInput: 2, output: 3, mkfile: 5, mkdir: 6 });
});
