/**
 * The shipped embedded-frontend binaries (native/build.sh), asked for the engine's answers in
 * their rewrite-only mode: amd64 natively, arm64 under qemu-aarch64 (BuildKit runs the host's
 * platform, so no e2e test ever runs the arm64 one). Absent binaries skip the comparison, except
 * with CI=true, where they are required; a binary built from another bundle than dist's fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answer, type RewriteAnswer, type RewriteCase } from '../../src/frontend/embedded/rewrite-only.js';
import { REPO } from '../properties/fixtures.js';

const OUT = join(REPO, 'build', 'native');
const QEMU = '/usr/bin/qemu-aarch64-static';

export interface EmbeddedBinary {
  arch: 'amd64' | 'arm64';
  command: string[];
}

/** The binaries there are, or why there are none (then the caller skips, or fails in CI). */
export function embeddedBinaries(): { binaries: EmbeddedBinary[]; missing: string[] } {
  const binaries: EmbeddedBinary[] = [];
  const missing: string[] = [];
  for (const arch of ['amd64', 'arm64'] as const) {
    const path = join(OUT, `dfrewrite-frontend-${arch}`);
    if (!existsSync(path)) missing.push(`${path} (run native/build.sh)`);
    else if (arch === 'arm64' && !existsSync(QEMU)) missing.push(`${QEMU} (apt-get install qemu-user-static)`);
    else binaries.push({ arch, command: arch === 'arm64' ? [QEMU, path] : [path] });
  }
  return { binaries, missing };
}

/** Throws unless the binary was compiled from the bundle dist/ holds now (native/build.sh keeps a copy). */
export function assertCurrent(binary: EmbeddedBinary): void {
  const compiled = join(OUT, binary.arch, 'frontend.js');
  const current = join(REPO, 'dist', 'embedded', 'frontend.js');
  if (!existsSync(compiled) || !readFileSync(compiled).equals(readFileSync(current))) {
    throw new Error(`the ${binary.arch} binary was built from another bundle than ${current}: run native/build.sh`);
  }
}

export const required = (): boolean => process.env.CI === 'true';

/** The binary's answers to the cases, one process for all. */
export function embeddedAnswers(binary: EmbeddedBinary, cases: RewriteCase[]): RewriteAnswer[] {
  const [command, ...args] = binary.command;
  const run = spawnSync(command!, [...args, '--rewrite-only'], {
    input: JSON.stringify(cases),
    maxBuffer: 1 << 30,
  });
  if (run.status !== 0) throw new Error(`${binary.arch} binary exited ${String(run.status)}: ${run.stderr.toString()}`);
  return JSON.parse(run.stdout.toString('utf8')) as RewriteAnswer[];
}

/** Node's answers to the same cases, through the same code, as JSON would carry them. */
export function nodeAnswers(cases: RewriteCase[]): RewriteAnswer[] {
  return JSON.parse(JSON.stringify(cases.map(answer))) as RewriteAnswer[];
}
