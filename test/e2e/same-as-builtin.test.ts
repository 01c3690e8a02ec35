// Issue 3, tests 5 and 6: when our frontend changes nothing, the build is the built-in frontend's.
// Each pair builds with the built-in frontend first, then with ours on the same cache: identical
// build steps are cache hits, so equal layers (RUN output carries fresh timestamps) prove that
// ours sent BuildKit exactly the built-in frontend's build.
import { afterAll, expect } from 'vitest';
import {
  build,
  cleanup,
  context,
  e2eTest,
  expectBuild,
  FIXED,
  frontendImage,
  inspect,
  type BuildOptions,
  type Frontend,
} from './harness.js';

afterAll(cleanup);

async function image(fixture: string, frontend: Frontend, opts: BuildOptions = {}, edit?: (text: string) => string) {
  const run = await build(context(fixture, frontend, 'Dockerfile', edit), { ...opts, image: true });
  expectBuild(run, true);
  return { output: run.output, ...(await inspect(run.tag)) };
}

async function expectSameAsBuiltin(fixture: string, opts: BuildOptions = {}, edit?: (text: string) => string) {
  const builtin = await image(fixture, null, opts, edit);
  const ours = await image(fixture, await frontendImage(), opts, edit);
  expect(ours.layers).toEqual(builtin.layers);
  expect(ours.config).toEqual(builtin.config);
  return ours;
}

e2eTest(
  '--build-arg DFREWRITE=off builds exactly as the built-in frontend',
  async () => {
    const off = await expectSameAsBuiltin('uv', { buildArgs: { DFREWRITE: 'off' } });
    expect(off.output).not.toMatch(FIXED);
    // the control: without DFREWRITE=off the same file is rewritten and its RUN layer differs
    const on = await image('uv', await frontendImage());
    expect(on.output).toMatch(FIXED);
    expect(on.layers).not.toEqual(off.layers);
  },
  { frontend: true },
);

e2eTest(
  'a file the engine cannot parse builds exactly as the built-in frontend',
  async () => {
    // BuildKit skips comments; the engine refuses any NUL byte and leaves the file alone
    const ours = await expectSameAsBuiltin('uv', {}, (text) => `# binary junk: \0\n${text}`);
    expect(ours.output).toMatch(/\[dfrewrite\] not rewritten/);
  },
  { frontend: true },
);

e2eTest(
  'a file with nothing to fix builds to the same layers and config',
  async () => {
    const ours = await expectSameAsBuiltin('clean', { buildArgs: { VERSION: '2.0' } });
    expect(ours.output).not.toMatch(FIXED);
  },
  { frontend: true },
);
