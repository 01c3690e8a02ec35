import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Bundles dist/ first when it is stale: the CLI, frontend and package tests run it.
    globalSetup: ['test/setup/build-dist.ts'],
  },
});
