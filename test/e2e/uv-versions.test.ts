// Issue 18, item 2: the uv guard must work with every uv in use. A stand-in uv models the argument
// parsing of an old (0.8) and a current release; each fixture is built per platform with the
// built-in frontend (the baseline) and through ours. Ours must pass under QEMU without compiling,
// and compile natively exactly as the built-in frontend does.
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
import { COMPILES_EMULATED, readUvReport, useUv, UV_VERSIONS } from './uv-report.js';

afterAll(cleanup);

/** The fixture, the file the stand-in's report ends up in, and the uv command it runs. */
const FIXTURES = [
  { fixture: 'seed', report: 'opt/app/uv-report', command: 'sync' },
  { fixture: 'uv-python', report: 'uv-report', command: 'python install' },
  { fixture: 'uv-inline', report: 'uv-report', command: 'sync' },
];

/** Builds `fixture` for `platform` with the stand-in modelling uv `version`. */
async function buildWith(frontend: Frontend, fixture: string, version: string, platform: string) {
  const dir = context(fixture, frontend);
  useUv(dir, version);
  const out = outputDir();
  const run = await build(dir, { platform, noCache: true, outputDir: out });
  return { run, out };
}

for (const version of UV_VERSIONS) {
  for (const { fixture, report, command } of FIXTURES) {
    // uv before 0.9.25 compiles nothing in `uv python install`
    const compiles = command !== 'python install' || version === '0.12.5';
    const file = (out: string) => readUvReport(join(out, report));

    e2eTest(
      `${fixture}, uv ${version}, built-in frontend, linux/arm64: ${compiles ? 'compiles under QEMU' : 'passes'}`,
      async () => {
        const { run, out } = await buildWith(null, fixture, version, 'linux/arm64');
        expectBuild(run, !compiles);
        if (compiles) expect(run.output).toMatch(COMPILES_EMULATED);
        else expect(file(out)).toMatchObject({ version, command, machine: 'aarch64', compile: 'off' });
      },
    );

    e2eTest(
      `${fixture}, uv ${version}, our frontend, linux/arm64: passes without compiling`,
      async () => {
        const { run, out } = await buildWith(await frontendImage(), fixture, version, 'linux/arm64');
        expectBuild(run, true);
        expect(file(out)).toMatchObject({ version, command, machine: 'aarch64', compile: 'off' });
        expect(run.output).toMatch(FIXED);
      },
      { frontend: true },
    );

    e2eTest(
      `${fixture}, uv ${version}, our frontend, linux/amd64: ${compiles ? 'keeps compiling' : 'as the built-in'} natively`,
      async () => {
        const { run, out } = await buildWith(await frontendImage(), fixture, version, 'linux/amd64');
        expectBuild(run, true);
        expect(file(out)).toMatchObject({ version, command, machine: 'x86_64', compile: compiles ? 'on' : 'off' });
      },
      { frontend: true },
    );
  }
}
