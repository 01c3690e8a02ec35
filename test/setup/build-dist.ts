/**
 * vitest globalSetup: the CLI, frontend and package tests run the bundles in dist/, so a stale
 * dist/ would test old code (and fail with a misleading message). Rebuilds when any input of
 * scripts/build.mjs is newer than its last build, so running one test file is always right. The
 * embedded frontend's binaries (build/native), where they have been built, are rebuilt with it:
 * the `embedded` test project runs them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
/** Written by scripts/build.mjs when a build completes. */
const STAMP = join(ROOT, 'dist/.built');
const INPUTS = ['src', 'scripts/build.mjs', 'package.json', 'package-lock.json'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function builtAt(): number {
  try {
    return statSync(STAMP).mtimeMs;
  } catch {
    return -1;
  }
}

export default function setup(): void {
  const newest = Math.max(...INPUTS.map((input) => newestMtime(join(ROOT, input))));
  if (newest > builtAt()) {
    console.error('dist/ is older than its sources: rebuilding (node scripts/build.mjs)');
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  }
  const bundle = readFileSync(join(ROOT, 'dist/embedded/frontend.js'));
  const stale = ['amd64', 'arm64'].filter(
    (arch) =>
      existsSync(join(ROOT, `build/native/dfrewrite-frontend-${arch}`)) &&
      !bundle.equals(readFileSync(join(ROOT, `build/native/${arch}/frontend.js`))),
  );
  if (stale.length === 0) return;
  console.error(`the embedded frontend is older than dist/: rebuilding (native/build.sh ${stale.join(' ')})`);
  execFileSync(join(ROOT, 'native/build.sh'), stale, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}
