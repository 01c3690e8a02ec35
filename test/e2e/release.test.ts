// Issue 16: the released index digest can be rebuilt. Two builds of Dockerfile.frontend with
// scripts/release/build-index.sh, from a clean state each (--no-cache, and the first build's cache
// records removed before the second), give the same image index digest.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { cleanup, docker, e2eTest } from './harness.js';
import {
  buildIndex,
  cacheRecords,
  KEEP,
  localNodeIndex,
  offlineArgs,
  ok,
  pruneRecordsSince,
  releaseUnsupported,
  run,
} from './release-harness.js';

const made: string[] = [];
afterAll(async () => {
  for (const tag of made.splice(0)) await docker(['image', 'rm', tag]);
  await cleanup();
});

e2eTest(
  'two clean builds of the frontend index give one digest',
  async (ctx) => {
    const unsupported = releaseUnsupported();
    if (unsupported) return ctx.skip(unsupported);
    const node = await localNodeIndex();
    made.push(node);
    const dir = mkdtempSync(join(KEEP, 'reproducible-'));
    const before = await cacheRecords();
    const first = await buildIndex(join(dir, 'first'), ['--no-cache', ...offlineArgs(node)]);
    const removed = await pruneRecordsSince(before);
    expect(removed).toBeGreaterThan(0); // otherwise the second build could reuse the first's work
    const second = await buildIndex(join(dir, 'second'), ['--no-cache', ...offlineArgs(node)]);
    await pruneRecordsSince(before);

    expect(first).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(second).toBe(first);
    // the same bytes, not only the same top-level digest
    const sizes = await ok(run('node', ['scripts/release/oci-layout.mjs', 'sizes', join(dir, 'second')]));
    expect(await ok(run('node', ['scripts/release/oci-layout.mjs', 'sizes', join(dir, 'first')]))).toBe(sizes);
    const platforms = (JSON.parse(sizes) as { platform: string }[]).map((p) => p.platform);
    expect(platforms).toEqual(['linux/amd64', 'linux/arm64']);
    console.log(`release-reproducible: index ${first}, ${removed} cache records removed between builds; ${sizes}`);
    rmSync(dir, { recursive: true, force: true });
  },
  { frontend: true, timeoutS: 600 },
);
