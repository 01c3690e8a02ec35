// Issue 3, test 4: build errors reach the user as the built-in frontend reports them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { build, cleanup, context, e2eTest, expectBuild, FIXED, frontendImage, type Frontend } from './harness.js';

afterAll(cleanup);

async function failing(file: string, frontend: Frontend) {
  const dir = context('errors', frontend, file);
  const run = await build(dir, { file });
  expectBuild(run, false);
  return { output: run.output, lines: readFileSync(join(dir, file), 'utf8').split('\n') };
}

e2eTest(
  'a Dockerfile syntax error reaches the user with its line number',
  async () => {
    const builtin = await failing('syntax.Dockerfile', null);
    const ours = await failing('syntax.Dockerfile', await frontendImage());
    const line = ours.lines.findIndex((l) => l.startsWith('RUNN')) + 1;
    for (const { output } of [builtin, ours]) {
      expect(output).toMatch(new RegExp(`line ${line}\\b`));
      expect(output).toMatch(/unknown instruction: RUNN/i);
    }
  },
  { frontend: true },
);

e2eTest(
  'a failing RUN fails the build as usual, also after a rewrite',
  async () => {
    const builtin = await failing('failing-run.Dockerfile', null);
    const ours = await failing('failing-run.Dockerfile', await frontendImage());
    expect(ours.output).toMatch(FIXED);
    for (const { output } of [builtin, ours]) {
      expect(output).toMatch(/about to fail/);
      expect(output).toMatch(/exit code: 3/);
    }
  },
  { frontend: true },
);
