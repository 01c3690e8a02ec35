import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/core/model/model.js';
import { rewrite } from '../../src/core/rewrite.js';

/**
 * A stand-in `uv` that follows uv's own rules for the setting (crates/uv-cli): the env var is
 * read as a boolean, `--no-compile-bytecode` together with a truthy env var is an error, and a
 * project config (`compile-bytecode = true`, simulated by CONFIG_COMPILE=1) wins over an env var
 * that is off but not over the flag.
 */
const FAKE_UV = `#!/bin/sh
on=
case "\${UV_COMPILE_BYTECODE:-}" in 1|true|yes|on|y|t) on=1 ;; esac
flag=
for a in "$@"; do
  case "$a" in
    --no-compile-bytecode) flag=off ;;
    --compile-bytecode) flag=on ;;
  esac
done
if [ "$flag" = off ] && [ -n "$on" ]; then echo "error: cannot be used together" >&2; exit 2; fi
if [ "$flag" = off ]; then echo "bytecode=off"; exit 0; fi
if [ "$flag" = on ] || [ -n "$on" ] || [ "\${CONFIG_COMPILE:-}" = 1 ]; then echo "bytecode=on"; else echo "bytecode=off"; fi
`;

const dir = mkdtempSync(join(tmpdir(), 'dfrewrite-uv-'));
writeFileSync(join(dir, 'uv'), FAKE_UV);
chmodSync(join(dir, 'uv'), 0o755);

/** The command BuildKit would hand to the shell for the last RUN of the rewritten file. */
function rewrittenCommand(dockerfile: string): string {
  const { output } = rewrite(dockerfile);
  const runs = buildModel(output).runs;
  return runs[runs.length - 1]!.commandText;
}

function runGuarded(shell: string[], command: string, env: Record<string, string>): string {
  return execFileSync(shell[0]!, [...shell.slice(1), command], {
    env: { PATH: `${dir}:/usr/bin:/bin`, UV_COMPILE_BYTECODE: '1', ...env },
    encoding: 'utf8',
  }).trim();
}

const shells = [
  ['sh', '-c'],
  ['bash', '-euo', 'pipefail', '-c'],
  ['sh', '-exc'],
];
const command = rewrittenCommand('FROM python\nENV UV_COMPILE_BYTECODE=1\nRUN uv sync --frozen\n');
const flagged = rewrittenCommand('FROM python\nRUN uv sync --compile-bytecode\n');

describe('the uv guard, run by a real shell with a stand-in uv', () => {
  const table: [string, string, string | undefined, string][] = [
    ['native amd64', 'amd64', 'amd64', 'bytecode=on'],
    ['native arm64', 'arm64', 'arm64', 'bytecode=on'],
    ['arm64 emulated on amd64', 'amd64', 'arm64', 'bytecode=off'],
    ['amd64 emulated on arm64', 'arm64', 'amd64', 'bytecode=off'],
    ['386 runs natively on amd64', 'amd64', '386', 'bytecode=on'],
    ['no BuildKit platform args', '', undefined, 'bytecode=on'],
  ];
  for (const shell of shells) {
    for (const [name, build, target, expected] of table) {
      it(`${shell.join(' ')}: ${name}`, () => {
        const env: Record<string, string> = build ? { BUILDARCH: build } : {};
        if (target) env.TARGETARCH = target;
        expect(runGuarded(shell, command, env)).toBe(expected);
        // A project config that turns compilation on cannot win over the guard's flag.
        expect(runGuarded(shell, command, { ...env, CONFIG_COMPILE: '1' })).toBe(expected);
        expect(runGuarded(shell, flagged, { ...env, UV_COMPILE_BYTECODE: '' })).toBe(expected);
      });
    }
  }

  it('the unguarded command would compile under emulation', () => {
    expect(runGuarded(['sh', '-c'], 'uv sync --frozen', { BUILDARCH: 'amd64', TARGETARCH: 'arm64' })).toBe(
      'bytecode=on',
    );
  });
});
