// scripts/e2e/lib.sh's apt handling (issue 18): an architecture whose package lists are missing is
// updated even when dpkg already knows it, and a held apt lock is waited for, with a message and a
// bound. Driven with stand-ins for dpkg, apt-get and sleep on PATH: no root, no apt, no waiting.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const LIB = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'e2e', 'lib.sh');

/** Stand-ins that keep dpkg's and apt's state in $STATE and log every call to $STATE/calls. */
const STUBS: Record<string, string> = {
  dpkg: `#!/bin/sh
echo "dpkg $*" >> "$STATE/calls"
case $1 in
  --print-architecture) echo amd64 ;;
  --print-foreign-architectures) cat "$STATE/foreign" ;;
  --add-architecture) echo "$2" >> "$STATE/foreign" ;;
esac
`,
  // update: fails as apt does while "lock-held" counts down, else fetches lists for every architecture
  // indextargets: the lists of the architecture asked for, when fetched (apt lists only existing ones)
  'apt-get': `#!/bin/sh
echo "apt-get $*" >> "$STATE/calls"
for word; do case $word in update | indextargets | install) cmd=$word ;; "Architecture: "*) arch=\${word#Architecture: } ;; esac; done
case $cmd in
  update)
    held=$(cat "$STATE/lock-held")
    if [ "$held" -gt 0 ]; then
      echo $((held - 1)) > "$STATE/lock-held"
      echo 'E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)'
      echo 'E: Unable to lock directory /var/lib/apt/lists/'
      exit 100
    fi
    for a in amd64 $(cat "$STATE/foreign"); do touch "$STATE/lists-$a"; done ;;
  indextargets) [ ! -e "$STATE/lists-$arch" ] || echo "$STATE/lists-$arch" ;;
esac
`,
  sleep: `#!/bin/sh
echo "sleep $*" >> "$STATE/calls"
`,
};

interface World {
  /** dpkg's foreign architectures */
  foreign: string[];
  /** architectures whose package lists were fetched */
  lists: string[];
  /** how many `apt-get update` calls find the lists lock held */
  lockHeld?: number;
  aptWait?: number;
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs `script` after sourcing lib.sh, in `world`; its exit code, stderr and the calls made. */
function run(world: World, script: string) {
  const state = mkdtempSync(join(tmpdir(), 'dfrewrite-lib-sh-'));
  dirs.push(state);
  for (const [name, text] of Object.entries(STUBS)) {
    writeFileSync(join(state, name), text);
    chmodSync(join(state, name), 0o755);
  }
  writeFileSync(join(state, 'foreign'), world.foreign.map((a) => `${a}\n`).join(''));
  writeFileSync(join(state, 'lock-held'), String(world.lockHeld ?? 0));
  writeFileSync(join(state, 'calls'), '');
  for (const a of world.lists) writeFileSync(join(state, `lists-${a}`), '');
  const result = spawnSync('bash', ['-c', `set -euo pipefail; . "${LIB}"; log() { echo "log: $*" >&2; }; ${script}`], {
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: `${state}:${process.env.PATH ?? ''}`,
      STATE: state,
      DFREWRITE_E2E_APT_WAIT: String(world.aptWait ?? 600),
    },
  });
  const calls = readFileSync(join(state, 'calls'), 'utf8').trim().split('\n').filter(Boolean);
  return { code: result.status, stderr: result.stderr, calls };
}

const updates = (calls: string[]) => calls.filter((c) => /^apt-get .*\bupdate$/.test(c));

describe('e2e_apt_arch', () => {
  it('updates when the architecture is known but its package lists are missing (an earlier update failed)', () => {
    const { code, calls, stderr } = run({ foreign: ['arm64'], lists: ['amd64'] }, 'e2e_apt_arch arm64');
    expect(code).toBe(0);
    expect(calls).not.toContain('dpkg --add-architecture arm64');
    expect(updates(calls)).toHaveLength(1);
    expect(stderr).toContain('log: no package lists for arm64: apt-get update');
  });

  it('adds a new architecture and updates', () => {
    const { code, calls } = run({ foreign: [], lists: ['amd64'] }, 'e2e_apt_arch arm64');
    expect(code).toBe(0);
    expect(calls).toContain('dpkg --add-architecture arm64');
    expect(updates(calls)).toHaveLength(1);
  });

  it('does nothing when the architecture and its lists are there, or for the native architecture', () => {
    for (const arch of ['arm64', 'amd64']) {
      const { code, calls } = run({ foreign: ['arm64'], lists: ['amd64', 'arm64'] }, `e2e_apt_arch ${arch}`);
      expect(code).toBe(0);
      expect(updates(calls)).toEqual([]);
      expect(calls.filter((c) => c.startsWith('dpkg --add'))).toEqual([]);
    }
  });

  it('runs dpkg and apt-get through a wrapper (the current engine’s chroot)', () => {
    const { code, calls } = run(
      { foreign: [], lists: [] },
      'wrap() { echo "wrapped $1" >> "$STATE/calls"; "$@"; }; e2e_apt_arch arm64 wrap',
    );
    expect(code).toBe(0);
    expect(calls).toContain('wrapped dpkg');
    expect(calls.filter((c) => c === 'wrapped apt-get')).toHaveLength(2); // indextargets, update
  });
});

describe('e2e_apt_get', () => {
  it('waits for a held lists lock, says so, and goes on once it is free', () => {
    const { code, calls, stderr } = run({ foreign: ['arm64'], lists: [], lockHeld: 2 }, 'e2e_apt_arch arm64');
    expect(code).toBe(0);
    expect(updates(calls)).toHaveLength(3);
    expect(calls.filter((c) => c.startsWith('sleep '))).toHaveLength(2);
    expect(stderr).toMatch(
      /log: apt-get update: Could not get lock \/var\/lib\/apt\/lists\/lock\. It is held by process 4242 \(apt-get\); waiting \(at most 600s in all\)/,
    );
  });

  it('names the apt-get command it waits for, whatever options come first', () => {
    const { code, stderr } = run(
      { foreign: [], lists: [], lockHeld: 1 },
      'e2e_apt_get -y --no-install-recommends update',
    );
    expect(code).toBe(0);
    expect(stderr).toContain('log: apt-get -y --no-install-recommends update: Could not get lock');
  });

  it('gives up with apt’s error once the bound has passed', () => {
    const { code, calls, stderr } = run({ foreign: [], lists: [], lockHeld: 5, aptWait: 0 }, 'e2e_apt_get update');
    expect(code).toBe(100);
    expect(updates(calls)).toHaveLength(1);
    expect(stderr).toContain('E: Could not get lock /var/lib/apt/lists/lock');
  });

  it('does not retry other failures, and lets apt wait for dpkg’s lock itself', () => {
    const failing = run({ foreign: [], lists: [] }, 'e2e_apt_get install nothing-here || echo "exit $?" >&2');
    expect(failing.calls).toEqual(['apt-get -q -o DPkg::Lock::Timeout=600 install nothing-here']);
    const lock = run({ foreign: [], lists: [], aptWait: 42 }, 'e2e_apt_get -y install qemu-user-static');
    expect(lock.calls).toEqual(['apt-get -q -o DPkg::Lock::Timeout=42 -y install qemu-user-static']);
  });
});
