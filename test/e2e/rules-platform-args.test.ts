// Issue 10, platform-args: in a cross-compiling stage (FROM --platform=$BUILDPLATFORM), TARGETARCH
// is BuildKit's only where the stage declares it without a default. A stand-in go records the
// architecture it was told to build for; a linux/arm64 build must get arm64 binaries. Issue 18: a
// global ARG TARGETARCH is removed, and $(dpkg --print-architecture) becomes ${TARGETARCH} (suggested).
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { rewrite } from '../../src/core/rewrite.js';
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

afterAll(cleanup);

const FIXTURE = 'rules-platform-args';

/** Builds the fixture for linux/arm64 and reads which architecture each stage's go was told. */
async function builtFor(
  frontend: Frontend,
  edit?: (text: string) => string,
): Promise<{ arch: Record<string, string>; output: string }> {
  const out = outputDir();
  const dir = context(FIXTURE, frontend, 'Dockerfile', edit);
  for (const tool of ['go', 'dpkg']) chmodSync(join(dir, tool), 0o755);
  const run = await build(dir, { platform: 'linux/arm64', noCache: true, outputDir: out });
  expectBuild(run, true);
  const read = (name: string): string => readFileSync(join(out, name), 'utf8').trim();
  return {
    arch: Object.fromEntries(['with-default', 'undeclared', 'hard-coded', 'probed'].map((name) => [name, read(name)])),
    output: run.output,
  };
}

e2eTest('built-in frontend: every cross-compiling stage builds for the build machine (amd64), not arm64', async () => {
  const { arch } = await builtFor(null);
  expect(arch).toEqual({ 'with-default': 'amd64', undeclared: 'amd64', 'hard-coded': 'amd64', probed: 'amd64' });
});

e2eTest('rewritten (safe fixes): the default is dropped, the missing ARG declared; both build arm64', async () => {
  const { arch } = await builtFor(null, (text) => rewrite(text).output);
  expect(arch).toEqual({ 'with-default': 'arm64', undeclared: 'arm64', 'hard-coded': 'amd64', probed: 'amd64' });
});

e2eTest(
  'rewritten with suggested fixes: GOARCH=amd64 and $(dpkg --print-architecture) become $TARGETARCH too',
  async () => {
    const { arch } = await builtFor(null, (text) => rewrite(text, { applySuggested: true }).output);
    expect(arch).toEqual({ 'with-default': 'arm64', undeclared: 'arm64', 'hard-coded': 'arm64', probed: 'arm64' });
  },
);

e2eTest(
  'through our frontend: the safe fixes apply to the original Dockerfile',
  async () => {
    const { arch, output } = await builtFor(await frontendImage());
    expect(arch).toEqual({ 'with-default': 'arm64', undeclared: 'arm64', 'hard-coded': 'amd64', probed: 'amd64' });
    expect(output).toMatch(FIXED);
  },
  { frontend: true },
);
