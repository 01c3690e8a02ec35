import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = resolve('bin/dfrewrite.js');
const NEEDS_FIX = 'FROM debian\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n';
const isRoot = process.getuid?.() === 0;
const hasSetpriv = spawnSync('setpriv', ['--version']).status === 0;

function cli(args: string[], asNobody = false) {
  const [command, prefix] = asNobody
    ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN]]
    : [process.execPath, [BIN]];
  const result = spawnSync(command, [...prefix, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'dfrewrite-hard-'));
chmodSync(dir, 0o755);

describe('large input is processed, not refused, and nothing hangs', () => {
  it('a 10 MB file', { timeout: 120_000 }, () => {
    let text = 'FROM debian\n';
    while (text.length < 10_000_000)
      text += '# a comment that takes some room on its line\nRUN echo nothing to fix here\n';
    const path = join(dir, 'big.Dockerfile');
    writeFileSync(path, text);
    const { code, stdout } = cli(['--check', path]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
  });

  it('a 200,000-line file with one fix at its end', { timeout: 120_000 }, () => {
    const lines = ['FROM debian'];
    for (let i = 0; i < 200_000; i++) lines.push(`ENV V${i}=${i}`);
    lines.push('RUN --mount=type=cache,target=/var/cache/apt apt-get update', '');
    const path = join(dir, 'long.Dockerfile');
    writeFileSync(path, lines.join('\n'));
    const { code, stdout, stderr } = cli(['--check', path]);
    expect(code).toBe(1);
    expect(stdout).toBe(`would rewrite ${path}\n`);
    expect(stderr).toContain(`${path}:200002:5 cache-mount-sharing`);
  });
});

describe.skipIf(!isRoot || !hasSetpriv)('permissions (run as nobody)', () => {
  it('permission denied on read: named, exit 2, other files still processed', () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked, { recursive: true });
    const secret = join(locked, 'Dockerfile');
    writeFileSync(secret, NEEDS_FIX);
    chmodSync(secret, 0o600);
    const open = join(dir, 'open.Dockerfile');
    writeFileSync(open, NEEDS_FIX);
    chmodSync(open, 0o644);
    const { code, stdout, stderr } = cli(['--check', secret, open], true);
    expect(code).toBe(2);
    expect(stderr).toContain(`${secret}: permission denied`);
    expect(stdout).toBe(`would rewrite ${open}\n`);
  });
});

describe.skipIf(!isRoot)('--in-place when the write itself fails', () => {
  const mountPoint = mkdtempSync(join(tmpdir(), 'dfrewrite-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint]).status === 0;
  afterAll(() => {
    if (mounted) spawnSync('umount', [mountPoint]);
  });

  it.skipIf(!mounted)('a full disk leaves the old file whole and no temporary file behind', () => {
    // 40 KB of file on a 64 KB file system: the new copy cannot be written beside it.
    const path = join(mountPoint, 'Dockerfile');
    const original = NEEDS_FIX + '# padding\n'.repeat(4000);
    writeFileSync(path, original);
    const { code, stderr } = cli(['-i', path]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/Dockerfile: not rewritten: .*(ENOSPC|no space)/i);
    expect(readFileSync(path, 'utf8')).toBe(original);
    expect(readdirSync(mountPoint)).toEqual(['Dockerfile']);
  });
});
