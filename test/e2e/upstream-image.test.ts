// Issue 8, test 7: an image upstream. `# syntax=<ours> --upstream=docker/dockerfile:1` (and the
// DFREWRITE_UPSTREAM build arg) builds through BuildKit's Go Dockerfile frontend, built locally as
// docker/dockerfile:1 (scripts/e2e/engine-current.sh frontend), via gateway.v0 with `source`. The
// chain builds the same image as that upstream alone: built first with the upstream, then through
// ours on the same cache, a file with nothing to fix gives identical layers and config.
import { afterAll, expect } from 'vitest';
import {
  build,
  cleanup,
  context,
  docker,
  e2eTest,
  buildkitAtLeast,
  expectBuild,
  FIXED,
  frontendImage,
  inspect,
} from './harness.js';

afterAll(cleanup);

const UPSTREAM = 'docker/dockerfile:1';

async function upstreamPresent(): Promise<boolean> {
  if (!buildkitAtLeast(9)) return false; // BuildKit's current Go frontend needs a newer gateway than 0.8's
  const found = await docker(['image', 'inspect', UPSTREAM]);
  if (found.code !== 0 && process.env.DFREWRITE_E2E === 'required') {
    throw new Error(`${UPSTREAM} is not on this engine: run scripts/e2e/engine-current.sh frontend`);
  }
  return found.code === 0;
}

e2eTest(
  '--upstream=docker/dockerfile:1 on the syntax line builds the same image as that frontend alone',
  async () => {
    if (!(await upstreamPresent())) return;
    const alone = await build(context('clean', UPSTREAM), { image: true, buildArgs: { VERSION: '2.0' } });
    expectBuild(alone, true);
    const chained = await build(context('clean', `${await frontendImage()} --upstream=${UPSTREAM}`), {
      image: true,
      buildArgs: { VERSION: '2.0' },
    });
    expectBuild(chained, true);
    expect(chained.output).toMatch(/\[dfrewrite\] no changes/);
    expect(chained.output).toMatch(/resolve image config for (docker-image:\/\/)?docker\.io\/docker\/dockerfile:1/);
    const [a, b] = [await inspect(alone.tag), await inspect(chained.tag)];
    expect(b.layers).toEqual(a.layers);
    expect(b.config).toEqual(a.config);
  },
  { frontend: true, timeoutS: 300 },
);

e2eTest(
  'the DFREWRITE_UPSTREAM build arg does the same, and the fixes are applied on the way',
  async () => {
    if (!(await upstreamPresent())) return;
    const run = await build(context('apt-lock', await frontendImage()), {
      noCache: true,
      buildArgs: { DFREWRITE_UPSTREAM: UPSTREAM },
    });
    expectBuild(run, true);
    expect(run.output).toMatch(FIXED);
    expect(run.output).toMatch(/resolve image config for (docker-image:\/\/)?docker\.io\/docker\/dockerfile:1/);
  },
  { frontend: true, timeoutS: 300 },
);
