// Dockerfile.frontend: the image builds for both platforms and runs the bundle on each.
import { afterAll, expect } from 'vitest';
import { buildFrontendImage, cleanup, docker, e2eTest, inspect } from './harness.js';

afterAll(cleanup);

for (const [platform, arch] of [
  ['linux/amd64', 'x64'],
  ['linux/arm64', 'arm64'],
] as const) {
  e2eTest(
    `the frontend image builds for ${platform} and runs its bundle there`,
    async () => {
      const tag = await buildFrontendImage(platform);
      const image = await inspect(tag);
      expect(image.platform).toBe(platform);
      expect(image.config).toMatchObject({
        Entrypoint: ['node', '/app/frontend.mjs'],
        User: '65532:65532',
        Labels: {
          'moby.buildkit.frontend.network.none': 'true',
          'moby.buildkit.frontend.caps':
            'moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts',
        },
      });
      const node = await docker([
        'run',
        '--rm',
        '--network=none',
        '--platform',
        platform,
        '--entrypoint',
        'node',
        tag,
        '-p',
        'process.arch',
      ]);
      expect(node.stdout.trim()).toBe(arch);
      // started by hand rather than by BuildKit, the frontend says so and exits with 2
      const byHand = await docker(['run', '--rm', '--network=none', '--platform', platform, tag]);
      expect(byHand.code).toBe(2);
      expect(byHand.output).toMatch(/frontend/);
      const version = await docker(['run', '--rm', '--network=none', '--platform', platform, tag, '--version']);
      expect(version.stdout).toMatch(/^dfrewrite frontend \d+\.\d+\.\d+/);
      // the image build ran the bundle once, so Node's compile cache holds its compiled code
      expect((image.config as { Env: string[] }).Env).toContain('NODE_COMPILE_CACHE=/app/compile-cache');
      const cache = await docker([
        'run',
        '--rm',
        '--network=none',
        '--platform',
        platform,
        '--user',
        '0',
        '--entrypoint',
        'node',
        tag,
        '-p',
        "require('fs').readdirSync('/app/compile-cache', { recursive: true }).length",
      ]);
      expect(Number(cache.stdout.trim())).toBeGreaterThanOrEqual(2);
    },
    { frontend: true },
  );
}
