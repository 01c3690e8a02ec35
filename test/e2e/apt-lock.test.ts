// Issue 3, test 1: the APT lock contention between parallel stages that share a cache mount.
import { afterAll, expect } from 'vitest';
import { build, cleanup, context, e2eTest, expectBuild, FIXED, frontendImage } from './harness.js';

afterAll(cleanup);

// --no-cache: every build runs both stages, on empty cache mounts
e2eTest('two stages sharing the apt cache collide on its lock with the built-in frontend', async () => {
  const run = await build(context('apt-lock', null), { noCache: true });
  expectBuild(run, false);
  expect(run.output).toMatch(/E: Could not get lock \/var\/cache\/apt\/archives\/lock/);
});

e2eTest(
  'the same Dockerfile builds with our syntax line',
  async () => {
    const run = await build(context('apt-lock', await frontendImage()), { noCache: true });
    expectBuild(run, true);
    expect(run.output).toMatch(FIXED);
    expect(run.output).toMatch(/stand-in apt-get: .*install build-essential/);
    expect(run.output).toMatch(/stand-in apt-get: .*install vim/);
  },
  { frontend: true },
);
