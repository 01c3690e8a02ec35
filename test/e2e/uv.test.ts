// Issue 3, test 2: the guard against uv's bytecode-compilation hang under QEMU, natively and emulated.
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import {
  build,
  cleanup,
  context,
  e2eTest,
  expectBuild,
  FIXED,
  frontendImage,
  outputDir,
  type Frontend,
} from './harness.js';
import { COMPILES_EMULATED, readUvReport } from './uv-report.js';

afterAll(cleanup);

interface UvSaw {
  machine: string;
  bytecode: 'on' | 'off';
  output: string;
}

/** Builds the uv fixture for one platform and reads what the stand-in uv reported. */
async function uvSaw(frontend: Frontend, platform: string): Promise<UvSaw> {
  const out = outputDir();
  const run = await build(context('uv', frontend), { platform, noCache: true, outputDir: out });
  expectBuild(run, true);
  const { machine, compile } = readUvReport(join(out, 'uv-report'));
  return { machine, bytecode: compile, output: run.output };
}

e2eTest('built-in frontend: uv compiles bytecode on linux/amd64 (native)', async () => {
  expect(await uvSaw(null, 'linux/amd64')).toMatchObject({ machine: 'x86_64', bytecode: 'on' });
});

e2eTest('built-in frontend: uv compiles bytecode on linux/arm64 under QEMU: the hang risk', async () => {
  // the stand-in fails where the real uv can hang
  const run = await build(context('uv', null), { platform: 'linux/arm64', noCache: true });
  expectBuild(run, false);
  expect(run.output).toMatch(COMPILES_EMULATED);
});

e2eTest(
  'our frontend keeps bytecode on for a native linux/amd64 build',
  async () => {
    const saw = await uvSaw(await frontendImage(), 'linux/amd64');
    expect(saw).toMatchObject({ machine: 'x86_64', bytecode: 'on' });
    expect(saw.output).toMatch(FIXED);
  },
  { frontend: true },
);

e2eTest(
  'our frontend turns bytecode off for linux/arm64 under QEMU',
  async () => {
    const saw = await uvSaw(await frontendImage(), 'linux/arm64');
    expect(saw).toMatchObject({ machine: 'aarch64', bytecode: 'off' });
    expect(saw.output).toMatch(FIXED);
  },
  { frontend: true },
);
