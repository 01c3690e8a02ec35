import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const BIN = resolve('bin/dfrewrite.js');
export const NEEDS_FIX = 'FROM debian\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n';
export const FIXED = 'FROM debian\nRUN --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update\n';
export const CLEAN = 'FROM debian\nRUN echo hello\n';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], options: { cwd?: string; input?: string; env?: Record<string, string> } = {}): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '', ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh directory with the given files (path → content). */
export function tree(files: Record<string, string> = {}, prefix = 'dfrewrite-adoption-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [name, content] of Object.entries(files)) write(dir, name, content);
  return dir;
}

export function write(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

export const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });

/**
 * This working tree as a repository of its own, one commit: the files git would commit
 * (uncommitted and untracked ones included, ignored ones such as node_modules and dist left out).
 */
export function snapshotOfThisRepository(into: string): string {
  const files = git(process.cwd(), 'ls-files', '-z', '--cached', '--others', '--exclude-standard')
    .split('\0')
    .filter((f) => f && existsSync(f));
  for (const file of files) {
    mkdirSync(join(into, file, '..'), { recursive: true });
    cpSync(file, join(into, file), { verbatimSymlinks: true });
  }
  git(into, 'init', '-q');
  git(into, 'add', '-A');
  git(into, 'commit', '-q', '-m', 'snapshot');
  return into;
}
