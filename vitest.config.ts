import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/** The frontend's suites that run it against the fake daemon, run again on the shipped binary. */
const FRONTEND_SUITES = ['frontend', 'limits', 'syntax', 'check-result', 'concurrent-io'].map(
  (n) => `test/frontend/${n}.test.ts`,
);
// Without the binaries (native/build.sh) the second run is left out, except in CI, where it must run.
const binaryBuilt = existsSync('build/native/dfrewrite-frontend-amd64') || process.env.CI === 'true';

export default defineConfig({
  test: {
    // Bundles dist/ first when it is stale: the CLI, frontend and package tests run it.
    globalSetup: ['test/setup/build-dist.ts'],
    projects: [
      { extends: true, test: { name: 'node' } },
      ...(binaryBuilt
        ? [
            {
              extends: true as const,
              test: { name: 'embedded', include: FRONTEND_SUITES, env: { DFREWRITE_TEST_FRONTEND: 'binary' } },
            },
          ]
        : []),
    ],
  },
});
