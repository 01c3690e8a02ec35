// Shared set-up of the end-to-end tests: real builds on the BuildKit daemon DOCKER_HOST names (and
// the current buildx builder, where the CLI has buildx), with the docker CLI $DFREWRITE_E2E_DOCKER
// (default `docker`). With DFREWRITE_E2E_REGISTRY the base images are named in that registry
// instead of the local image store. See docs/testing.md.
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it, type TestContext } from 'vitest';
import { atLeast, buildkitMinor, type BuildkitMinor } from './buildkit-version.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = join(REPO, 'test', 'e2e', 'fixtures');
const DOCKER = process.env.DFREWRITE_E2E_DOCKER || 'docker';
const REQUIRED = process.env.DFREWRITE_E2E === 'required';
/** A registry (`localhost:5000`) holding the base images, for builders that cannot see the local image store. */
const REGISTRY = process.env.DFREWRITE_E2E_REGISTRY;

/** A base image's name: `local/<name>`, or `<registry>/<name>` with DFREWRITE_E2E_REGISTRY. */
const baseImage = (name: string): string => (REGISTRY ? `${REGISTRY}/${name}` : `local/${name}`);

/** Dockerfile text with its base images named where the builder finds them (unchanged without a registry). */
export const withBaseImages = (text: string): string =>
  REGISTRY ? text.replace(/\blocal\/busybox-/g, `${REGISTRY}/busybox-`) : text;

const IMAGES = ['busybox-amd64', 'busybox-arm64'].map(baseImage);

export interface Run {
  code: number;
  stdout: string;
  /** stdout and stderr: a build's --progress=plain log is on stderr */
  output: string;
}

/** `docker ARGS` with the e2e CLI, `stdin` on its standard input (closed after it). */
export function docker(args: string[], { timeoutMs = 300_000, stdin = '' } = {}): Promise<Run> {
  return run(DOCKER, args, { env: { DOCKER_BUILDKIT: '1' }, timeoutMs, stdin });
}

/** Runs `cmd` with `env` added to ours, collecting stdout and stdout+stderr; `stdin` is closed after it. */
export function run(
  cmd: string,
  args: string[],
  {
    env = {},
    cwd = REPO,
    timeoutMs = 300_000,
    stdin = '',
  }: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number; stdin?: string } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, cwd, timeout: timeoutMs });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, output }));
    // A command that exits without reading its input makes the write fail (EPIPE): its exit status tells.
    child.stdin.on('error', () => {});
    if (stdin) child.stdin.end(stdin);
    else child.stdin.end();
  });
}

/** `docker buildx inspect` of the current builder; undefined for a CLI without buildx (Docker 20.10). */
async function inspectBuilder(): Promise<string | undefined> {
  const run = await docker(['buildx', 'inspect'], { timeoutMs: 20_000 }).catch(() => undefined);
  return run?.code === 0 ? run.stdout : undefined;
}

/**
 * The builder's buildx driver: `docker` (the daemon's own BuildKit, which sees its image store) or
 * another (docker-container, remote, …), whose results reach the image store only with `--load`.
 * A CLI without buildx builds with the daemon's own.
 */
const driverOf = (inspected: string | undefined): string =>
  (inspected && /^Driver:\s*(\S+)/m.exec(inspected)?.[1]) || 'docker';

/** Whether `image` can be pulled from the registry (asked by the CLI, as the builder will). */
async function inRegistry(image: string): Promise<boolean> {
  return (await docker(['manifest', 'inspect', '--insecure', image], { timeoutMs: 30_000 })).code === 0;
}

/** The engine's version, or why the e2e tests cannot run here (no engine, or no images). */
async function findEngine(): Promise<
  { version: string; driver: string; buildkit: BuildkitMinor } | { missing: string }
> {
  if (!process.env.DOCKER_HOST) {
    return {
      missing:
        'DOCKER_HOST is not set; start an engine: eval "$(scripts/e2e/engine-2010.sh start)" && scripts/e2e/images.sh',
    };
  }
  const version = await docker(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 20_000 }).catch(
    (e: unknown) => ({ code: 1, stdout: '', output: e instanceof Error ? e.message : String(e) }),
  );
  if (version.code !== 0)
    return {
      missing: `no engine answers at DOCKER_HOST=${process.env.DOCKER_HOST} (${DOCKER}): ${version.output.trim().split('\n').pop()!}`,
    };
  const found = REGISTRY
    ? (await Promise.all(IMAGES.map(inRegistry))).every(Boolean)
    : (await docker(['image', 'inspect', '--format', '{{.Id}}', ...IMAGES])).code === 0;
  if (!found) {
    const how = REGISTRY ? 'DFREWRITE_E2E_REGISTRY=… scripts/e2e/images-pull.sh' : 'scripts/e2e/images.sh';
    return { missing: `images ${IMAGES.join(', ')} missing; run ${how}` };
  }
  const inspected = await inspectBuilder();
  const daemon = version.stdout.trim();
  return { version: daemon, driver: driverOf(inspected), buildkit: buildkitMinor(inspected, daemon) };
}

const engine = await findEngine();
const missing = 'missing' in engine ? engine.missing : undefined;
/** The daemon's version, e.g. "20.10.24+dfsg1" or "28.5.2+dfsg4" ("" without an engine). */
export const engineVersion = 'version' in engine ? engine.version : '';
const builderBuildkit = 'buildkit' in engine ? engine.buildkit : undefined;
/**
 * Whether the builder runs BuildKit 0.`minor` or later: asked of the builder (`buildx inspect`),
 * else inferred from the daemon (test/e2e/buildkit-version.ts). Gate BuildKit features on this,
 * not on engineVersion: a docker-container builder runs its own BuildKit beside any daemon.
 */
export const buildkitAtLeast = (minor: number): boolean => atLeast(builderBuildkit, minor);
/** Tagged results must be loaded into the image store: the builder does not write there itself. */
const load = 'driver' in engine && engine.driver !== 'docker';
const frontendMissing =
  process.env.DFREWRITE_E2E_FRONTEND_IMAGE || existsSync(join(REPO, 'dist', 'embedded', 'frontend.js'))
    ? undefined
    : 'no dist/embedded/frontend.js to build the frontend image from (npm run build) and no DFREWRITE_E2E_FRONTEND_IMAGE';
if (missing && !REQUIRED) console.warn(`e2e tests skipped: ${missing}`);

/**
 * An end-to-end test: skipped with the reason when no engine (or, with `frontend`, no frontend
 * bundle) is available; with DFREWRITE_E2E=required that reason fails it instead. `fn` gets the
 * test's context: `ctx.skip(reason)` for an engine the test does not apply to, even when required.
 */
export function e2eTest(
  name: string,
  fn: (ctx: TestContext) => Promise<void>,
  opts: { frontend?: boolean; timeoutS?: number } = {},
): void {
  it(
    name,
    async (ctx) => {
      const reason = missing ?? (opts.frontend ? frontendMissing : undefined);
      if (reason) {
        if (REQUIRED) throw new Error(`DFREWRITE_E2E=required, but ${reason}`);
        ctx.skip(reason);
      }
      await fn(ctx);
    },
    (opts.timeoutS ?? 120) * 1000,
  ); // a few builds, one of them emulated
}

/** Builds Dockerfile.frontend from dist/ for one platform (default: the host's); its tag. */
export function buildFrontendImage(platform?: string): Promise<string> {
  const args = [join(REPO, 'scripts', 'e2e', 'build-frontend-image.sh'), ...(platform ? ['--platform', platform] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn('bash', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`build-frontend-image.sh failed (${String(code)})`)),
    );
  });
}

let frontend: Promise<string> | undefined;
/** Tag of the frontend image: $DFREWRITE_E2E_FRONTEND_IMAGE, or built once from dist/. */
export function frontendImage(): Promise<string> {
  const given = process.env.DFREWRITE_E2E_FRONTEND_IMAGE;
  frontend ??= given ? Promise.resolve(given) : buildFrontendImage();
  return frontend;
}

/** `null` is BuildKit's built-in Dockerfile frontend; a string is a frontend image. */
export type Frontend = string | null;

/**
 * The Dockerfile's first line. Both variants are one line, so line numbers in errors match: the
 * built-in frontend gets a plain comment where ours gets the syntax directive.
 */
export const firstLine = (frontend: Frontend): string =>
  frontend === null ? '# built-in Dockerfile frontend (dfrewrite e2e baseline)' : `# syntax=${frontend}`;

const scratch: string[] = [];
const tags: string[] = [];
let serial = 0;
/** Unique to this test run: image tags, cache ids. */
export const runId = `${process.pid}-${Date.now().toString(36)}`;

/**
 * A fresh build context: the fixture folder plus the stand-in tools (uv, apt-get), with `file`
 * given the frontend's first line (and `edit` applied to its text first, when given).
 */
export function context(
  fixture: string,
  frontend: Frontend,
  file = 'Dockerfile',
  edit?: (text: string) => string,
): string {
  const dir = mkdtempSync(join(tmpdir(), `dfrewrite-e2e-${fixture}-`));
  scratch.push(dir);
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  for (const tool of readdirSync(join(FIXTURES, 'stand-ins'))) {
    cpSync(join(FIXTURES, 'stand-ins', tool), join(dir, tool));
    chmodSync(join(dir, tool), 0o755); // the COPY keeps the mode, whatever the checkout gave
  }
  const text = readFileSync(join(dir, file), 'utf8');
  writeFileSync(join(dir, file), `${firstLine(frontend)}\n${withBaseImages((edit ?? ((t) => t))(text))}`);
  return dir;
}

export interface BuildOptions {
  file?: string;
  target?: string;
  platform?: string;
  buildArgs?: Record<string, string>;
  noCache?: boolean;
  /** tag the result (removed by cleanup()); the build's `tag` field names it */
  image?: boolean;
  /** export the result's files to this folder instead (`--output type=local`) */
  outputDir?: string;
}

export interface Build extends Run {
  tag: string;
}

export async function build(dir: string, opts: BuildOptions = {}): Promise<Build> {
  const file = join(dir, opts.file ?? 'Dockerfile');
  if (REGISTRY) writeFileSync(file, withBaseImages(readFileSync(file, 'utf8')));
  const args = ['build', '--network=none', '--progress=plain'];
  if (opts.file) args.push('-f', file);
  if (opts.target) args.push('--target', opts.target);
  if (opts.platform) args.push('--platform', opts.platform);
  for (const [k, v] of Object.entries(opts.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
  if (opts.noCache) args.push('--no-cache');
  const tag = opts.image ? `dfrewrite-e2e:${runId}-${++serial}` : '';
  if (tag) {
    args.push('-t', tag, ...(load ? ['--load'] : []));
    tags.push(tag);
  }
  if (opts.outputDir) args.push('--output', `type=local,dest=${opts.outputDir}`);
  args.push(dir);
  return { ...(await docker(args)), tag };
}

/** Fails with the build log when the build did not end as expected. */
export function expectBuild(run: Run, ok: boolean): void {
  if ((run.code === 0) !== ok) {
    throw new Error(
      `build ${ok ? 'failed' : 'passed'} (exit ${run.code}), expected it to ${ok ? 'pass' : 'fail'}:\n${run.output}`,
    );
  }
}

export interface ImageInfo {
  layers: string[];
  config: Record<string, unknown>;
  platform: string;
}

export async function inspect(tag: string): Promise<ImageInfo> {
  const run = await docker(['image', 'inspect', '--format', '{{json .}}', tag]);
  if (run.code !== 0) throw new Error(run.output);
  const image = JSON.parse(run.stdout) as {
    RootFS: { Layers: string[] };
    Config: Record<string, unknown>;
    Os: string;
    Architecture: string;
  };
  return { layers: image.RootFS.Layers, config: image.Config, platform: `${image.Os}/${image.Architecture}` };
}

/** Output of a command in a container of `tag` (no network, entrypoint replaced). */
export async function runIn(tag: string, ...cmd: string[]): Promise<string> {
  const run = await docker(['run', '--rm', '--network=none', '--entrypoint', cmd[0]!, tag, ...cmd.slice(1)]);
  if (run.code !== 0) throw new Error(run.output);
  return run.stdout;
}

/** A folder for build outputs, removed by cleanup(). */
export function outputDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dfrewrite-e2e-out-'));
  scratch.push(dir);
  return dir;
}

/** The vertex our frontend names after the fixes it applied: `[dfrewrite] 2 fixes: cache-mount-sharing line 6, …` */
export const FIXED = /\[dfrewrite\] \d+ fix(es)?:/;

export async function cleanup(): Promise<void> {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
  const remove = tags.splice(0);
  if (remove.length > 0 && !missing) await docker(['image', 'rm', '--force', ...remove]);
}
