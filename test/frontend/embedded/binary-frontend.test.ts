/**
 * The shipped amd64 binary as BuildKit starts it (no arguments, gRPC on its stdin/stdout, as root):
 * what only a process shows. The fake-daemon suites run on it too (the `embedded` test project).
 * Skipped without the binary (native/build.sh) unless CI=true; the root cases need root.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import pkg from '../../../package.json' with { type: 'json' };
import { embeddedBinaries, required } from '../../helpers/embedded-binary.js';
import { decodeDefinition, fakeDaemonPerTest, optionEnv, runBinary } from '../fake-daemon.js';

const binary = embeddedBinaries().binaries.find((b) => b.arch === 'amd64');
const root = process.getuid?.() === 0;
const APT = 'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n';

describe.skipIf(!binary && !required())('the shipped binary', () => {
  const { start } = fakeDaemonPerTest();

  test('speaks only gRPC on stdout, logs on stderr, exits 0 after Return', async () => {
    const daemon = await start({ trees: { 'local://dockerfile': { Dockerfile: APT } } });
    const { exitCode, log } = await runBinary(daemon, optionEnv({ cmdline: 'example/dfrewrite --bogus' }));
    expect(exitCode).toBe(0);
    expect(log).toMatch(/^dfrewrite: Dockerfile: 1 fix: cache-mount-sharing line 2;.* ignored --bogus$/m);
    expect(log).toContain('ignoring unknown argument on the syntax line: --bogus');
    expect(log).toMatch(/^dfrewrite: returned \d+ ms after start, \d+ ms CPU \(/m);
    expect(daemon.record.returns).toHaveLength(1);
  });

  test('run by hand, outside BuildKit, it says what it is and exits 2', async () => {
    const { exitCode, log } = await runBinary(await start(), {});
    expect(exitCode).toBe(2);
    expect(log).toMatch(/not started by BuildKit/);
  });

  test('--version prints the version and exits 0', () => {
    const result = spawnSync(binary!.command[0]!, ['--version'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`dfrewrite frontend ${pkg.version} (embedded)\n`);
  });

  test('exits non-zero, saying why, when the daemon cannot be used at all', async () => {
    const daemon = await start({ pingFails: true });
    const { exitCode, log } = await runBinary(daemon, optionEnv({}));
    expect(exitCode).toBe(1);
    expect(log).toMatch(/^dfrewrite: fatal: .*daemon gone/m);
    expect(daemon.record.upstream).toEqual([]);
  });

  // The ids come from /proc in the running program, after main.c's switch and before the file was
  // read: the kernel's answer, not the setting echoed back.
  async function identityReported(env: Record<string, string> = {}) {
    const daemon = await start({ trees: { 'local://dockerfile': { Dockerfile: 'FROM debian:12\n' } } });
    const { exitCode, log } = await runBinary(daemon, { ...optionEnv({ 'build-arg:DFREWRITE_DEBUG': '1' }), ...env });
    expect(exitCode).toBe(0);
    const { ops, metadata } = decodeDefinition(daemon.record.upstream[0].FrontendInputs.dockerfile);
    return { name: metadata[ops[1].inputs[0].digest].description['llb.customname'] as string, log };
  }

  test.runIf(root)('started as root, reads the build as 65532:65532 over the stdio pipes it was given', async () => {
    const { name, log } = await identityReported();
    expect(name).toMatch(
      /^\[dfrewrite\] no changes \(debug: uid=65532 gid=65532 groups=65532; running as 65532:65532; \d+ ms after start\)$/,
    );
    expect(log).toMatch(/returned \d+ ms after start, \d+ ms CPU \(running as 65532:65532\)/);
  });

  test.runIf(root)('as the image’s DFREWRITE_USER says', async () => {
    const { name } = await identityReported({ DFREWRITE_USER: '4321:8765' });
    expect(name).toMatch(/\(debug: uid=4321 gid=8765 groups=8765; /);
  });
});
