/**
 * native/main.c gives up root before any JavaScript runs (BuildKit starts a frontend as root
 * whatever the image's USER says). Needs
 * root and the amd64 binary (native/build.sh); skipped otherwise, unless CI=true.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { assertCurrent, embeddedBinaries, required } from '../../helpers/embedded-binary.js';

const binary = embeddedBinaries().binaries.find((b) => b.arch === 'amd64');
const root = process.getuid?.() === 0;

function identity(user: string | undefined) {
  const env = { ...process.env };
  delete env.DFREWRITE_USER;
  if (user !== undefined) env.DFREWRITE_USER = user;
  const run = spawnSync(binary!.command[0]!, ['--identity'], { env });
  return { status: run.status, stdout: run.stdout.toString(), stderr: run.stderr.toString() };
}

describe.skipIf(!(binary && root) && !required())('the embedded binary drops root', () => {
  it('to 65532:65532 by default, with that group only', () => {
    assertCurrent(binary!);
    expect(identity(undefined).stdout).toBe('uid=65532 gid=65532 groups=65532; running as 65532:65532\n');
  });

  it('to DFREWRITE_USER, UID alone meaning UID:UID', () => {
    expect(identity('1234:5678').stdout).toBe('uid=1234 gid=5678 groups=5678; running as 1234:5678\n');
    expect(identity('4321').stdout).toBe('uid=4321 gid=4321 groups=4321; running as 4321:4321\n');
  });

  it('keeps root when told to, and refuses a setting it cannot read', () => {
    expect(identity('root').stdout).toMatch(/^uid=0 gid=0 groups=.*; kept root \(DFREWRITE_USER\)\n$/);
    const bad = identity('nobody');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe('dfrewrite: DFREWRITE_USER=nobody: expected UID or UID:GID, numeric\n');
    expect(identity('12:x').status).toBe(1);
  });
});
