// BuildKit runs a frontend as root whatever its image's USER says: the frontend gives root up itself.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { dropRoot, type ProcessIds } from '../../src/frontend/privileges.js';
import { decodeDefinition, fakeDaemonPerTest, optionEnv, runBundle } from './fake-daemon.js';

function fakeProcess(uid = 0, fail?: string) {
  const calls: string[] = [];
  const ids = { uid, gid: uid };
  const proc: ProcessIds = {
    getuid: () => ids.uid,
    getgid: () => ids.gid,
    setgroups: (g) => void calls.push(`setgroups ${g.join(',')}`),
    setgid: (g) => {
      calls.push(`setgid ${g}`);
      ids.gid = g;
    },
    setuid: (u) => {
      if (fail) throw Object.assign(new Error(`setuid: ${fail}`), { code: fail });
      calls.push(`setuid ${u}`);
      ids.uid = u;
    },
  };
  return { proc, calls };
}

describe('dropRoot', () => {
  test('as root: groups, then gid, then uid, to 65532:65532 by default', () => {
    const { proc, calls } = fakeProcess();
    expect(dropRoot({}, proc)).toBe('running as 65532:65532');
    expect(calls).toEqual(['setgroups 65532', 'setgid 65532', 'setuid 65532']);
  });

  test('DFREWRITE_USER in the image’s environment picks the ids', () => {
    const { proc, calls } = fakeProcess();
    expect(dropRoot({ DFREWRITE_USER: '1000:2000' }, proc)).toBe('running as 1000:2000');
    expect(calls).toEqual(['setgroups 2000', 'setgid 2000', 'setuid 1000']);
    expect(dropRoot({ DFREWRITE_USER: '1234' }, fakeProcess().proc)).toBe('running as 1234:1234');
  });

  test('not root: nothing to do; DFREWRITE_USER=0 keeps root', () => {
    expect(dropRoot({}, fakeProcess(1000).proc)).toBe('not root');
    const { proc, calls } = fakeProcess();
    expect(dropRoot({ DFREWRITE_USER: '0' }, proc)).toMatch(/kept root/);
    expect(calls).toEqual([]);
  });

  test('ids not mapped in a rootless daemon’s user namespace: goes on, saying so', () => {
    expect(dropRoot({}, fakeProcess(0, 'EINVAL').proc)).toBe('kept uid 0: switching to 65532:65532 failed (EINVAL)');
  });

  test('a malformed DFREWRITE_USER is an error', () => {
    expect(() => dropRoot({ DFREWRITE_USER: 'nobody' }, fakeProcess().proc)).toThrow(/UID or UID:GID/);
  });
});

describe('the bundled program, started as root', () => {
  const bundle = join(import.meta.dirname, '../../dist/frontend.js');
  const asRoot = existsSync(bundle) && process.getuid?.() === 0;
  const { start } = fakeDaemonPerTest();

  async function identityReported(env: Record<string, string> = {}) {
    const daemon = await start({ trees: { 'local://dockerfile': { Dockerfile: 'FROM debian:12\n' } } });
    const { exitCode, log } = await runBundle(daemon, { ...optionEnv({ 'build-arg:DFREWRITE_DEBUG': '1' }), ...env });
    expect(exitCode).toBe(0);
    const { ops, metadata } = decodeDefinition(daemon.record.upstream[0].FrontendInputs.dockerfile);
    return { name: metadata[ops[1].inputs[0].digest].description['llb.customname'] as string, log };
  }

  // The ids come from process.getuid()/getgid()/getgroups() in the running program, after the
  // switch and before the file was read: the kernel's answer, not the setting echoed back.
  test.runIf(asRoot)('reads the build as 65532:65532, over the stdio pipes it was started with', async () => {
    const { name, log } = await identityReported();
    expect(name).toMatch(
      /^\[dfrewrite\] no changes \(debug: uid=65532 gid=65532 groups=65532; running as 65532:65532; \d+ ms after start\)$/,
    );
    expect(log).toMatch(/returned \d+ ms after start, \d+ ms CPU \(running as 65532:65532\)/);
  });

  test.runIf(asRoot)('as the image’s DFREWRITE_USER says', async () => {
    const { name } = await identityReported({ DFREWRITE_USER: '4321:8765' });
    expect(name).toMatch(/\(debug: uid=4321 gid=8765 groups=8765; /);
  });
});
