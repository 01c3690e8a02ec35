// Issue 8, test 1: the uv report as it was filed, built as its users build it: one
// `docker buildx build --platform linux/amd64,linux/arm64` (containerd image store), the arm64 half
// under QEMU in parallel with the native half. A stand-in uv records the bytecode setting it gets and
// `uname -m` (a base image that is not per-architecture would run the "arm64" half natively).
// Docker 20.10's builder cannot build two platforms at once: there the test checks that it says so.
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import {
  cleanup,
  context,
  docker,
  e2eTest,
  engineVersion,
  FIXED,
  frontendImage,
  outputDir,
  type Frontend,
} from './harness.js';
import { COMPILES_EMULATED, readUvReport } from './uv-report.js';

afterAll(cleanup);

const PLATFORMS = 'linux/amd64,linux/arm64';

/** One two-platform build of the seed. */
function buildBoth(frontend: Frontend, out: string) {
  return docker([
    'buildx',
    'build',
    '--network=none',
    '--progress=plain',
    '--no-cache',
    '--platform',
    PLATFORMS,
    '--output',
    `type=local,dest=${out}`,
    context('seed', frontend),
  ]);
}

/** What the stand-in uv saw in each half of one two-platform build. */
async function bothHalves(frontend: Frontend) {
  const out = outputDir();
  const run = await buildBoth(frontend, out);
  if (run.code !== 0) throw new Error(`build failed (exit ${run.code}):\n${run.output}`);
  const saw = (half: string) => {
    const { machine, compile } = readUvReport(join(out, half, 'opt/app/uv-report'));
    return { machine, bytecode: compile };
  };
  return { amd64: saw('linux_amd64'), arm64: saw('linux_arm64'), output: run.output };
}

const twentyTen = (): boolean => engineVersion.startsWith('20.');

e2eTest('the seed, built-in frontend: the arm64 half compiles bytecode under QEMU', async () => {
  if (twentyTen()) {
    const run = await docker(['build', '--network=none', '--platform', PLATFORMS, context('seed', null)]);
    expect(run.code).not.toBe(0);
    // 20.10 reads the list as one platform and refuses it
    expect(run.output).toMatch(
      /invalid component of "linux\/amd64,linux\/arm64"|multiple platforms feature is currently not supported/,
    );
    return;
  }
  // the stand-in fails where the real uv can hang: it says so only on aarch64
  const run = await buildBoth(null, outputDir());
  expect(run.code).not.toBe(0);
  expect(run.output).toMatch(COMPILES_EMULATED);
});

e2eTest(
  'the seed through our frontend: bytecode on natively (x86_64), off under QEMU (aarch64), in one build',
  async () => {
    if (twentyTen()) return; // covered per platform on 20.10 by uv.test.ts
    const { amd64, arm64, output } = await bothHalves(await frontendImage());
    expect(amd64).toEqual({ machine: 'x86_64', bytecode: 'on' });
    expect(arm64).toEqual({ machine: 'aarch64', bytecode: 'off' });
    expect(output).toMatch(FIXED);
  },
  { frontend: true, timeoutS: 300 },
);
