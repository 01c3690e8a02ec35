// Issue 10 (proof for bootsnap-emulated-jobs): a stand-in bootsnap records the worker count it was
// given and the machine it ran on. The original file runs it in parallel everywhere; the rewritten
// file gives it -j 1 under QEMU (linux/arm64 on this amd64 host: uname -m = aarch64) and nothing
// natively (linux/amd64).
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { rewrite } from '../../src/core/rewrite.js';
import { build, cleanup, e2eTest, expectBuild, firstLine, outputDir } from './harness.js';

afterAll(cleanup);

const BOOTSNAP = `#!/bin/sh
# Stand-in for bootsnap: what it was asked and where it ran.
{
  echo "machine=$(uname -m)"
  echo "args=$*"
} > /bootsnap-report
`;
/** Stand-in for Bundler: \`bundle exec CMD ARGS\` runs CMD ARGS. */
const BUNDLE = `#!/bin/sh
[ "$1" = exec ] && shift && exec "$@"
exit 1
`;

/** The Rails Dockerfile template's shape. */
const DOCKERFILE = [
  'FROM local/busybox-${TARGETARCH}',
  'COPY bootsnap bundle /usr/local/bin/',
  'WORKDIR /rails',
  'RUN bundle exec bootsnap precompile --gemfile',
  '',
].join('\n');

interface Saw {
  machine: string;
  args: string;
}

async function bootsnapSaw(text: string, platform: string): Promise<Saw> {
  const dir = outputDir();
  writeFileSync(join(dir, 'Dockerfile'), `${firstLine(null)}\n${text}`);
  for (const [name, body] of [
    ['bootsnap', BOOTSNAP],
    ['bundle', BUNDLE],
  ] as const) {
    writeFileSync(join(dir, name), body);
    chmodSync(join(dir, name), 0o755);
  }
  const out = outputDir();
  const run = await build(dir, { platform, noCache: true, outputDir: out });
  expectBuild(run, true);
  const report = Object.fromEntries(
    readFileSync(join(out, 'bootsnap-report'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { machine: report.machine ?? '', args: report.args ?? '' };
}

function rewritten(): string {
  const result = rewrite(DOCKERFILE, { rules: { enable: ['bootsnap-emulated-jobs'] } });
  expect(result.findings.map((f) => [f.ruleId, f.fixed])).toEqual([['bootsnap-emulated-jobs', true]]);
  return result.output;
}

e2eTest('original, linux/amd64 (native): bootsnap runs its parallel workers', async () => {
  expect(await bootsnapSaw(DOCKERFILE, 'linux/amd64')).toEqual({ machine: 'x86_64', args: 'precompile --gemfile' });
});

e2eTest('original, linux/arm64 under QEMU: parallel workers too, the case that hangs', async () => {
  expect(await bootsnapSaw(DOCKERFILE, 'linux/arm64')).toEqual({ machine: 'aarch64', args: 'precompile --gemfile' });
});

e2eTest('rewritten, linux/amd64 (native): no -j, as before', async () => {
  expect(await bootsnapSaw(rewritten(), 'linux/amd64')).toEqual({ machine: 'x86_64', args: 'precompile --gemfile' });
});

e2eTest('rewritten, linux/arm64 under QEMU: -j 1', async () => {
  expect(await bootsnapSaw(rewritten(), 'linux/arm64')).toEqual({
    machine: 'aarch64',
    args: 'precompile -j 1 --gemfile',
  });
});
