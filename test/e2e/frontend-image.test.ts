// Dockerfile.frontend: the image builds for both platforms, FROM scratch around the embedded
// frontend's static binary for that platform and nothing else.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { buildFrontendImage, cleanup, docker, e2eTest, inspect, outputDir, run } from './harness.js';

afterAll(cleanup);

const LABELS = {
  'moby.buildkit.frontend.network.none': 'true',
  'moby.buildkit.frontend.caps':
    'moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts',
};
/** ELF e_machine of each platform's binary */
const MACHINE = { 'linux/amd64': 0x3e, 'linux/arm64': 0xb7 } as const;
/** What `docker export` shows of any container: the runtime's mount points, empty */
const RUNTIME_ENTRIES = /^(\.dockerenv|(dev|etc|proc|sys)(\/.*)?)$/;

/** The paths in a container of `tag` (its file system, as `docker export` writes it) and the binary's bytes. */
async function contents(tag: string, platform: string): Promise<{ paths: string[]; binary: Buffer }> {
  const created = await docker(['create', '--network=none', '--platform', platform, tag]);
  expect(created.code, created.output).toBe(0);
  const id = created.stdout.trim();
  const dir = outputDir();
  try {
    expect((await docker(['export', '-o', join(dir, 'fs.tar'), id])).code).toBe(0);
    expect((await docker(['cp', `${id}:/dfrewrite-frontend`, dir])).code).toBe(0);
    const listing = await run('tar', ['-tf', join(dir, 'fs.tar')]);
    return { paths: listing.stdout.split('\n').filter(Boolean), binary: readFileSync(join(dir, 'dfrewrite-frontend')) };
  } finally {
    await docker(['rm', id]);
  }
}

for (const platform of ['linux/amd64', 'linux/arm64'] as const) {
  e2eTest(
    `the frontend image for ${platform} is the static binary for ${platform} and nothing else`,
    async () => {
      const tag = await buildFrontendImage(platform);
      const image = await inspect(tag);
      expect(image.platform).toBe(platform);
      expect(image.layers).toHaveLength(1);
      expect(image.config).toMatchObject({ Entrypoint: ['/dfrewrite-frontend'], User: '65532:65532', Labels: LABELS });
      expect((image.config as { Env: string[] }).Env).toContain('DFREWRITE_USER=65532:65532');
      const { paths, binary } = await contents(tag, platform);
      expect(paths.filter((p) => !RUNTIME_ENTRIES.test(p.replace(/\/$/, '')))).toEqual(['dfrewrite-frontend']);
      expect(binary.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
      expect(binary.readUInt16LE(18)).toBe(MACHINE[platform]);
      // started by hand rather than by BuildKit, the frontend says so and exits with 2
      const byHand = await docker(['run', '--rm', '--network=none', '--platform', platform, tag]);
      expect(byHand.code).toBe(2);
      expect(byHand.output).toMatch(/frontend/);
      const version = await docker(['run', '--rm', '--network=none', '--platform', platform, tag, '--version']);
      expect(version.stdout).toMatch(/^dfrewrite frontend \d+\.\d+\.\d+ \(embedded\)/);
      // run by hand it drops root as BuildKit's run does, from the image's DFREWRITE_USER
      const identity = await docker([
        'run',
        '--rm',
        '--network=none',
        '--platform',
        platform,
        '--user',
        '0',
        tag,
        '--identity',
      ]);
      expect(identity.stdout).toMatch(/^uid=65532 gid=65532 /);
    },
    { frontend: true },
  );
}
