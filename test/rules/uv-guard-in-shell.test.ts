import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/core/model/model.js';
import { rewrite } from '../../src/core/rewrite.js';

/**
 * The e2e stand-in `uv` (test/e2e/fixtures/stand-ins/uv), which parses arguments as the uv release
 * on its `version=` line does: the env var read as a boolean, `--no-compile-bytecode` beside a truthy
 * env var an error, `compile-bytecode = true` in uv.toml winning over an env var of 0 but not over
 * the flag, and `uv python install` without bytecode flags before 0.9.25.
 */
const STAND_IN = readFileSync(join(import.meta.dirname, '..', 'e2e', 'fixtures', 'stand-ins', 'uv'), 'utf8');
const VERSIONS = ['0.8.24', '0.12.5'];

const dir = mkdtempSync(join(tmpdir(), 'dfrewrite-uv-'));
for (const version of VERSIONS) {
  mkdirSync(join(dir, version));
  writeFileSync(join(dir, version, 'uv'), STAND_IN.replace(/^version=.*$/m, `version=${version}`));
  chmodSync(join(dir, version, 'uv'), 0o755);
}
/** A project whose uv.toml turns compilation on: only the flag turns it off there. */
const configured = join(dir, 'configured');
mkdirSync(configured);
writeFileSync(join(configured, 'uv.toml'), 'compile-bytecode = true\n');

/** The command BuildKit would hand to the shell for the last RUN of the rewritten file. */
function rewrittenCommand(dockerfile: string): string {
  const { output } = rewrite(dockerfile);
  const runs = buildModel(output).runs;
  return runs[runs.length - 1]!.commandText;
}

/** What the stand-in of `version` would compile, or its error. */
function runGuarded(version: string, shell: string[], command: string, env: Record<string, string>, cwd = dir) {
  try {
    const out = execFileSync(shell[0]!, [...shell.slice(1), command], {
      cwd,
      env: { PATH: `${join(dir, version)}:/usr/bin:/bin`, UV_STANDIN_REPORT: join(dir, 'report'), ...env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return /^compile=(.*)$/m.exec(out)![1];
  } catch (e) {
    return `error: ${(e as { stderr: string }).stderr.trim()}`;
  }
}

const shells = [
  ['sh', '-c'],
  ['bash', '-euo', 'pipefail', '-c'],
  ['sh', '-exc'],
];
/** Each case: the Dockerfile, the uv versions it applies to, and whether it compiles natively. */
const dockerfiles: [name: string, dockerfile: string, versions: string[], native: string][] = [
  ['ENV', 'FROM python\nENV UV_COMPILE_BYTECODE=1\nRUN uv sync --frozen\n', VERSIONS, 'on'],
  ['--compile-bytecode', 'FROM python\nRUN uv sync --compile-bytecode\n', VERSIONS, 'on'],
  ['inline', 'FROM python\nRUN UV_COMPILE_BYTECODE=1 uv sync --frozen\n', VERSIONS, 'on'],
  [
    'export in the script',
    'FROM python\nENV UV_COMPILE_BYTECODE=1\nRUN export UV_COMPILE_BYTECODE=1 && uv sync\n',
    VERSIONS,
    'on',
  ],
  ['python install, ENV', 'FROM python\nENV UV_COMPILE_BYTECODE=1\nRUN uv python install 3.12\n', ['0.12.5'], 'on'],
  ['python install, ENV', 'FROM python\nENV UV_COMPILE_BYTECODE=1\nRUN uv python install 3.12\n', ['0.8.24'], 'off'],
  ['python install, inline', 'FROM python\nRUN UV_COMPILE_BYTECODE=yes uv python upgrade\n', ['0.12.5'], 'on'],
  ['python install, inline', 'FROM python\nRUN UV_COMPILE_BYTECODE=yes uv python upgrade\n', ['0.8.24'], 'off'],
];
const platforms: [name: string, build: string, target: string | undefined, emulated: boolean][] = [
  ['native amd64', 'amd64', 'amd64', false],
  ['native arm64', 'arm64', 'arm64', false],
  ['arm64 emulated on amd64', 'amd64', 'arm64', true],
  ['amd64 emulated on arm64', 'arm64', 'amd64', true],
  ['386 runs natively on amd64', 'amd64', '386', false],
  ['no BuildKit platform args', '', undefined, false],
];

describe('the uv guard, run by a real shell with the stand-in uv of each version', () => {
  for (const [caseName, dockerfile, versions, native] of dockerfiles) {
    const command = rewrittenCommand(dockerfile);
    for (const version of versions) {
      for (const shell of shells) {
        for (const [name, build, target, emulated] of platforms) {
          it(`${caseName}, uv ${version}, ${shell.join(' ')}: ${name}`, () => {
            // what the Dockerfile's ENV gives the RUN
            const env: Record<string, string> = dockerfile.includes('ENV UV_COMPILE_BYTECODE=1')
              ? { UV_COMPILE_BYTECODE: '1' }
              : {};
            if (build) env.BUILDARCH = build;
            if (target) env.TARGETARCH = target;
            const expected = emulated ? 'off' : native;
            expect(runGuarded(version, shell, command, env)).toBe(expected);
            // A config file that turns compilation on cannot win over the guard
            if (native === 'on') expect(runGuarded(version, shell, command, env, configured)).toBe(expected);
          });
        }
      }
    }
  }

  it('the unguarded commands compile under emulation, or stop uv', () => {
    const emulated = { BUILDARCH: 'amd64', TARGETARCH: 'arm64', UV_COMPILE_BYTECODE: '1' };
    expect(runGuarded('0.12.5', ['sh', '-c'], 'uv sync --frozen', emulated)).toBe('on');
    expect(runGuarded('0.12.5', ['sh', '-c'], 'uv sync --no-compile-bytecode', emulated)).toMatch(
      /cannot be used together/,
    );
    // what the guard did before it knew uv's versions: the flag on `uv python install`
    expect(runGuarded('0.8.24', ['sh', '-c'], 'uv python install --no-compile-bytecode 3.12', emulated)).toMatch(
      /unexpected argument '--no-compile-bytecode'/,
    );
    expect(runGuarded('0.12.5', ['sh', '-c'], 'uv sync', { UV_COMPILE_BYTECODE: '0' }, configured)).toBe('on');
  });
});
