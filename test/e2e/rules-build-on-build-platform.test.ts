// Issue 17, build-on-build-platform: with suggested fixes on, a Go stage with cgo off and a
// static-asset stage run on the build platform in a two-platform build; the arm64 binary is
// cross-compiled (an aarch64 ELF, compiled as x86_64) and runs under QEMU in the final stage; a Go
// stage the rule must leave alone still compiles emulated. Needs the Go toolchain images of
// scripts/e2e/golang-image.sh (Debian's golang-1.19 per architecture). Docker 20.10 cannot build
// two platforms at once: there each platform is built on its own, and only where a per-architecture
// base image can stand in (it has no local/busybox index, and its local/golang is the amd64 image).
import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { cleanup, context, docker, e2eTest, engineVersion, expectBuild, frontendImage, outputDir } from './harness.js';

afterAll(cleanup);

const FIXTURE = 'rules-build-on-build-platform';
const ARCHS = ['amd64', 'arm64'] as const;
const MACHINE = { amd64: 'x86_64', arm64: 'aarch64' } as const;
/** ELF e_machine (bytes 18–19, little-endian) of each architecture's executables. */
const ELF_MACHINE = { amd64: 0x3e, arm64: 0xb7 } as const;
const SUGGESTED = { DFREWRITE_APPLY_SUGGESTED: '1' };

/** An emulated Go build compiles the standard library under QEMU: minutes on a busy machine. */
const BUILD_TIMEOUT_MS = 840_000;

/**
 * The files each platform's result holds, by architecture: one two-platform build, or on 20.10
 * (which cannot build two at once) one build per platform.
 */
async function builtFiles(file: string, buildArgs: Record<string, string>): Promise<Record<string, string>> {
  const dir = context(FIXTURE, await frontendImage(), file);
  for (const script of ['record-machine', 'esbuild']) chmodSync(join(dir, script), 0o755);
  const args = twentyTen() ? ['build'] : ['buildx', 'build'];
  args.push('--network=none', '--progress=plain', '--no-cache', '-f', join(dir, file));
  for (const [k, v] of Object.entries(buildArgs)) args.push('--build-arg', `${k}=${v}`);
  const platforms = twentyTen() ? ARCHS.map((arch) => [arch]) : [ARCHS];
  const results: Record<string, string> = {};
  for (const archs of platforms) {
    const out = outputDir();
    const platform = archs.map((arch) => `linux/${arch}`).join(',');
    const run = await docker([...args, '--platform', platform, '--output', `type=local,dest=${out}`, dir], {
      timeoutMs: BUILD_TIMEOUT_MS,
    });
    expectBuild(run, true);
    for (const arch of archs) results[arch] = archs.length > 1 ? join(out, `linux_${arch}`) : out;
  }
  return results;
}

const twentyTen = (): boolean => engineVersion.startsWith('20.');
const read = (dir: string, name: string): string => readFileSync(join(dir, name), 'utf8').trim();
const elfMachine = (path: string): number => readFileSync(path).readUInt16LE(18);

/** The images golang-image.sh makes; without them the test says what to run. */
async function needGoImages(): Promise<void> {
  const run = await docker([
    'image',
    'inspect',
    '--format',
    '{{.Id}}',
    'local/golang',
    'local/golang-amd64',
    'local/golang-arm64',
  ]);
  if (run.code !== 0) throw new Error('the Go toolchain images are missing: run scripts/e2e/golang-image.sh');
}

e2eTest(
  'Go, cgo off: compiled once per platform on x86_64; the arm64 binary is aarch64 and prints arm64 under QEMU',
  async () => {
    await needGoImages();
    const files = await builtFiles('Dockerfile', SUGGESTED);
    for (const arch of ARCHS) {
      const dir = files[arch]!;
      expect(read(dir, 'build-machine')).toBe('x86_64'); // the compiling step ran natively
      expect(elfMachine(join(dir, 'hello'))).toBe(ELF_MACHINE[arch]);
      expect(read(dir, 'goarch')).toBe(arch); // runtime.GOARCH, printed by the binary in the final stage
      expect(read(dir, 'final-machine')).toBe(MACHINE[arch]); // the final stage still runs as the target
    }
  },
  { frontend: true, timeoutS: 1800 },
);

e2eTest(
  'static assets: the stand-in bundler runs as x86_64 for both platforms; only dist/ reaches the scratch stage',
  async () => {
    if (twentyTen()) return; // no local/busybox index there
    const files = await builtFiles('assets.Dockerfile', SUGGESTED);
    for (const arch of ARCHS) {
      const dir = files[arch]!;
      expect(readdirSync(join(dir, 'site')).sort()).toEqual(['app.js', 'bundled-on']);
      expect(read(dir, 'site/bundled-on')).toBe('x86_64');
      expect(read(dir, 'site/app.js')).toContain('runtime.GOARCH');
    }
  },
  { frontend: true, timeoutS: 300 },
);

e2eTest(
  'a Go stage the rule leaves alone (cgo not off, base image per $TARGETARCH) still compiles emulated',
  async () => {
    await needGoImages();
    const files = await builtFiles('cgo.Dockerfile', SUGGESTED);
    for (const arch of ARCHS) {
      expect(read(files[arch]!, 'build-machine')).toBe(MACHINE[arch]);
      expect(read(files[arch]!, 'goarch')).toBe(arch);
      expect(existsSync(join(files[arch]!, 'hello'))).toBe(true);
    }
  },
  { frontend: true, timeoutS: 1800 },
);
