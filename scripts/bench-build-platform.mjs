// npm run bench, section "crossbuild": the two-platform Go build of the build-on-build-platform e2e
// fixture as written (the arm64 half compiles under QEMU) against its rewrite with suggested fixes
// (the stage moved to the build platform, cross-compiling), alternating, --no-cache, medians.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rewrite } from '../dist/index.js';

const FIXTURE = new URL('../test/e2e/fixtures/rules-build-on-build-platform/', import.meta.url).pathname;

export function crossBuild({ section, median, time }) {
  section('Two-platform Go build, as written vs moved to the build platform (alternating, --no-cache, medians)');
  const dockerCli = process.env.DFREWRITE_E2E_DOCKER || 'docker';
  const docker = (args) =>
    spawnSync(dockerCli, args, { encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: '1' } });
  if (!process.env.DOCKER_HOST) return console.log('skipped: no DOCKER_HOST (start an engine as in docs/testing.md)');
  if (docker(['image', 'inspect', 'local/golang-arm64', 'local/golang']).status !== 0)
    return console.log('skipped: no Go toolchain images (run scripts/e2e/golang-image.sh)');
  if (
    docker(['buildx', 'version']).status !== 0 ||
    docker(['version', '-f', '{{.Server.Version}}']).stdout.startsWith('20.')
  )
    return console.log('skipped: the engine cannot build two platforms at once (Docker 28.5 can)');
  const dir = mkdtempSync(join(tmpdir(), 'dfrewrite-bench-cross-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  cpSync(FIXTURE, dir, { recursive: true });
  const written = readFileSync(join(dir, 'Dockerfile'), 'utf8');
  writeFileSync(join(dir, 'rewritten.Dockerfile'), rewrite(written, { applySuggested: true }).output);
  const variants = { 'as written': 'Dockerfile', rewritten: 'rewritten.Dockerfile' };
  const build = (file) =>
    time(() => {
      const out = join(dir, 'out');
      rmSync(out, { recursive: true, force: true });
      const r = docker([
        'buildx',
        'build',
        '--network=none',
        '-q',
        '--no-cache',
        '--platform',
        'linux/amd64,linux/arm64',
        '-f',
        join(dir, file),
        '--output',
        `type=local,dest=${out}`,
        dir,
      ]);
      if (r.status !== 0) throw new Error(`${file} build failed: ${r.stderr}`);
    });
  const rounds = Number(process.env.BENCH_CROSS_BUILDS ?? 3);
  const times = { 'as written': [], rewritten: [] };
  for (let i = 0; i < rounds; i++) for (const [name, file] of Object.entries(variants)) times[name].push(build(file));
  const asWritten = median(times['as written']);
  const moved = median(times.rewritten);
  console.log(
    `as written: ${(asWritten / 1000).toFixed(1)} s; rewritten: ${(moved / 1000).toFixed(1)} s (${rounds} rounds each)`,
  );
  console.log(`ratio as written / rewritten: ${(asWritten / moved).toFixed(1)}x`);
}
