// Set-up shared by the release tests (test/e2e/release-*.test.ts): the reproducible index build
// (scripts/release/build-index.sh), a throw-away registry on 127.0.0.1, the release tools (cosign,
// skopeo, crane from the current engine's sid chroot; scripts/release/tools.sh installs them) and
// the build-cache records a test created, so that it can remove exactly those.
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { docker, engineVersion, run as runFor, runId, type Run } from './harness.js';

export { startRegistry, type Registry } from '../../scripts/release/registry.mjs';

/** The current engine's chroot (scripts/e2e/engine-current.sh), where cosign, skopeo and crane run. */
const ROOTFS = join(process.env.DFREWRITE_E2E_ROOT || '/var/tmp/dfrewrite-e2e', 'engine-current', 'rootfs');
const TOOLS = ['cosign', 'skopeo', 'crane'];
/** Registry logs and work folders are kept here after the run, for reading. */
export const KEEP = join(process.env.DFREWRITE_E2E_ROOT || '/var/tmp/dfrewrite-e2e', 'release');

/** Why the release tests cannot run on this engine or machine, or undefined when they can. */
export function releaseUnsupported(): string | undefined {
  if (Number(engineVersion.split('.')[0]) < 23) {
    return `Docker ${engineVersion} (BuildKit 0.8) has no SOURCE_DATE_EPOCH, rewrite-timestamp or multi-platform OCI export`;
  }
  return undefined;
}

/** Why the release tools are missing, or undefined. */
export function toolsMissing(): string | undefined {
  const missing = TOOLS.filter((t) => !existsSync(join(ROOTFS, 'usr', 'bin', t)));
  if (!existsSync('/usr/bin/docker-registry')) missing.push('docker-registry');
  return missing.length ? `${missing.join(', ')} missing; run scripts/release/tools.sh` : undefined;
}

/** Fails with the command's output unless it exited 0; its stdout. */
/** A command of the release path (builds of both platforms, signing): up to 10 minutes. */
export const run = (cmd: string, args: string[], opts: Parameters<typeof runFor>[2] = {}): Promise<Run> =>
  runFor(cmd, args, { timeoutMs: 600_000, ...opts });

export async function ok(result: Promise<Run>): Promise<string> {
  const r = await result;
  if (r.code !== 0) throw new Error(`exit ${r.code}:\n${r.output}`);
  return r.stdout;
}

/** A folder inside the chroot (so the tools see it), kept under KEEP's chroot twin: host and chroot paths. */
export function workDir(name: string): { host: string; inside: string } {
  const parent = join(ROOTFS, 'var', 'tmp', 'dfrewrite-release');
  mkdirSync(parent, { recursive: true });
  const host = mkdtempSync(join(parent, `${name}-${runId}-`));
  return { host, inside: `/${relative(ROOTFS, host)}` };
}

/** `cmd args` in the chroot, in folder `dir` (a chroot path), with an empty cosign key password. */
export function tool(dir: string, cmd: string, ...args: string[]): Promise<Run> {
  return run('chroot', [
    ROOTFS,
    '/usr/bin/env',
    '-i',
    'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
    `HOME=${dir}`,
    'COSIGN_PASSWORD=',
    'sh',
    '-c',
    'cd "$0" && exec "$@"',
    dir,
    cmd,
    ...args,
  ]);
}

/**
 * The embedded frontend's binaries for both platforms, made from dist/ by native/build.sh (one run
 * at a time, as scripts/e2e/build-frontend-image.sh runs it), and their components.json files.
 */
export async function nativeBinaries(): Promise<string[]> {
  await ok(
    run('flock', ['build/native/.lock', 'env', 'DFREWRITE_BUNDLE=prebuilt', 'native/build.sh', 'amd64', 'arm64']),
  );
  return ['amd64', 'arm64'].map((arch) => join('build', 'native', arch, 'components.json'));
}

/** The offline build arguments: the binaries native/build.sh made on the host, FROM scratch. */
export const OFFLINE_ARGS = ['--network=none', '--build-arg', 'FRONTEND_BUNDLE=prebuilt'];

/** scripts/release/build-index.sh into `out` (SOURCE_DATE_EPOCH: the commit's, or `epoch`): the index digest. */
export async function buildIndex(out: string, args: string[], epoch?: number): Promise<string> {
  const env = {
    DFREWRITE_E2E_DOCKER: process.env.DFREWRITE_E2E_DOCKER || 'docker',
    ...(epoch ? { SOURCE_DATE_EPOCH: String(epoch) } : {}),
  };
  const metadata = `${out}.metadata.json`;
  const stdout = await ok(
    run('bash', ['scripts/release/build-index.sh', '--out', out, '--metadata-file', metadata, ...args], { env }),
  );
  // BuildKit's build history keeps what a build exported: drop this build's record, so that the
  // engine keeps nothing of the image
  const ref = (JSON.parse(readFileSync(metadata, 'utf8')) as Record<string, string>)['buildx.build.ref'];
  await ok(docker(['buildx', 'history', 'rm', ref!.split('/').pop()!]));
  return stdout.trim();
}

/**
 * Build-cache records only our release builds make: steps of the two-platform Dockerfile.frontend
 * build (`[linux/arm64 runtime-embedded 1/1] COPY --from=binary /dfrewrite-frontend …`) and a
 * frontend image pulled from the throw-away registry. The engine is shared: other tests' records stay.
 */
const OURS =
  /^\[linux\/(amd64|arm64) [^\]]*\] COPY .*(dfrewrite-frontend|components\.json|binary-any)|^pulled from 127\.0\.0\.1:\d+\/dfrewrite@/;

/** IDs of the engine's build-cache records of our release builds (OURS). */
export async function cacheRecords(): Promise<Set<string>> {
  const du = await docker(['buildx', 'du', '--format', '{{.ID}}\t{{.Description}}']);
  if (du.code !== 0) throw new Error(du.output);
  const lines = du.stdout.split('\n').map((l) => l.split('\t'));
  return new Set(lines.filter(([id, what]) => id && OURS.test(what ?? '')).map(([id]) => id!));
}

/**
 * Removes our release builds' records created since `before` and returns how many went. A record
 * still in use is kept by BuildKit.
 */
export async function pruneRecordsSince(before: Set<string>): Promise<number> {
  const ours = [...(await cacheRecords())].filter((id) => !before.has(id));
  // one record per call (prune takes one value per filter; --all: a frontend image a build pulled
  // is an internal record)
  for (const id of ours) await docker(['buildx', 'prune', '-f', '--all', '--filter', `id=${id}`]);
  const left = await cacheRecords();
  return ours.filter((id) => !left.has(id)).length;
}
