// Issue 10, cache-mount-sharing for cargo: two parallel stages with their own mounts of
// $CARGO_HOME/registry race on the same crates, because cargo's lock ($CARGO_HOME/.package-cache)
// is outside the mount. The stand-in cargo unpacks the way cargo does (.cargo-ok created O_EXCL)
// and holds the crate until the other has failed, so sharing stages always collide.
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { rewrite } from '../../src/core/rewrite.js';
import { build, cleanup, context, e2eTest, expectBuild, FIXED, frontendImage, type Frontend } from './harness.js';

afterAll(cleanup);

const FIXTURE = 'rules-cargo';

function cargoContext(frontend: Frontend, edit?: (text: string) => string): string {
  const dir = context(FIXTURE, frontend, 'Dockerfile', edit);
  chmodSync(join(dir, 'cargo'), 0o755);
  return dir;
}

// --no-cache: every build runs both stages, on empty cache mounts
e2eTest("two stages sharing cargo's registry cache collide on a crate with the built-in frontend", async () => {
  const run = await build(cargoContext(null), { noCache: true });
  expectBuild(run, false);
  expect(run.output).toMatch(/failed to open `[^`]*\/\.cargo-ok`: File exists \(os error 17\)/);
});

e2eTest(
  'the rewritten Dockerfile (sharing=locked) builds with the built-in frontend: one unpacks, the other reuses',
  async () => {
    const dir = cargoContext(null, (text) => rewrite(text).output);
    expect(
      readFileSync(join(dir, 'Dockerfile'), 'utf8').match(/target=\/usr\/local\/cargo\/registry,sharing=locked /g),
    ).toHaveLength(2);
    const run = await build(dir, { noCache: true });
    expectBuild(run, true);
    expect(run.output).toMatch(/stand-in cargo: unpacked serde v1\.0\.0/);
    expect(run.output).toMatch(/stand-in cargo: serde v1\.0\.0 already unpacked/);
  },
);

e2eTest(
  'the original Dockerfile builds through our frontend',
  async () => {
    const run = await build(cargoContext(await frontendImage()), { noCache: true });
    expectBuild(run, true);
    expect(run.output).toMatch(FIXED);
  },
  { frontend: true },
);
