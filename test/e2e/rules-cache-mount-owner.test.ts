// Issue 10, cache-mount-owner: a cache mount is created owned by root, so a non-root USER cannot
// write into it; the rewrite gives the mount the user's uid (and gid), and the build passes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { rewrite } from '../../src/core/rewrite.js';
import { build, cleanup, context, e2eTest, expectBuild, FIXED, frontendImage, outputDir } from './harness.js';

afterAll(cleanup);

const FIXTURE = 'rules-cache-mount-owner';
const rewritten = (text: string): string => rewrite(text).output;

e2eTest('USER 1000 cannot write into a cache mount with the built-in frontend (the bug is real)', async () => {
  const run = await build(context(FIXTURE, null), { noCache: true });
  expectBuild(run, false);
  expect(run.output).toMatch(/touch: \/(home\/app\/\.cache|var\/cache\/app)\/written: Permission denied/);
});

e2eTest('the rewritten Dockerfile (uid=, gid= on the mounts) builds with the built-in frontend', async () => {
  const out = outputDir();
  const dir = context(FIXTURE, null, 'Dockerfile', rewritten);
  expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('target=/var/cache/app,uid=1000,gid=1000 ');
  const run = await build(dir, { noCache: true, outputDir: out });
  expectBuild(run, true);
  expect(readFileSync(join(out, 'uid-wrote'), 'utf8')).toMatch(/^uid=1000 /);
  expect(readFileSync(join(out, 'uid-gid-wrote'), 'utf8')).toMatch(/^uid=1000 gid=1000/);
});

e2eTest(
  'the original Dockerfile builds through our frontend',
  async () => {
    const run = await build(context(FIXTURE, await frontendImage()), { noCache: true });
    expectBuild(run, true);
    expect(run.output).toMatch(FIXED);
  },
  { frontend: true },
);
