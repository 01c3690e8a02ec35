// Issue 10 (proof for cache-mount-cleanup): a cleanup of a cache mount in the same RUN throws the
// cache away. The same file is built twice on one cache: the original (built-in frontend) finds
// the cache empty again the second time, the rewritten file finds it filled. Removing the mount
// point itself fails the build; the rewritten file builds.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { rewrite } from '../../src/core/rewrite.js';
import { build, cleanup, e2eTest, expectBuild, firstLine, outputDir, runId } from './harness.js';

afterAll(cleanup);

/** Stand-in `apt-get update`: says whether the package lists were already in the cache, then (re)writes them. */
const APT_GET = `#!/bin/sh
lists=/var/lib/apt/lists
if [ -e $lists/Packages ]; then echo lists=cached; else echo lists=downloaded; fi > /apt-report
echo "Packages from run $RUN_ID" > $lists/Packages
`;

/** A Dockerfile whose RUN updates the lists in a cache mount of its own id, then deletes them. */
const dockerfile = (id: string, cleanup: string): string =>
  [
    'FROM local/busybox-${TARGETARCH}',
    'COPY apt-get /usr/bin/apt-get',
    'ARG RUN_ID',
    `RUN --mount=type=cache,id=${id},target=/var/lib/apt/lists \\`,
    '    apt-get update && \\',
    `    ${cleanup}`,
    '',
  ].join('\n');

function context(text: string): string {
  const dir = outputDir();
  writeFileSync(join(dir, 'Dockerfile'), `${firstLine(null)}\n${text}`);
  writeFileSync(join(dir, 'apt-get'), APT_GET);
  chmodSync(join(dir, 'apt-get'), 0o755);
  return dir;
}

/** The rewritten text, checked to be a change by cache-mount-cleanup. */
function rewritten(text: string): string {
  const result = rewrite(text, { rules: { enable: ['cache-mount-cleanup'] } });
  expect(result.findings.map((f) => [f.ruleId, f.fixed])).toEqual([['cache-mount-cleanup', true]]);
  expect(result.output).not.toBe(text);
  return result.output;
}

/** Builds `text` twice (a new RUN_ID each time, so the RUN runs again on the same cache); what apt-get saw each time. */
async function twice(text: string): Promise<string[]> {
  const dir = context(text);
  const seen: string[] = [];
  for (const round of ['1', '2']) {
    const out = outputDir();
    const run = await build(dir, { buildArgs: { RUN_ID: `${runId}-${round}` }, outputDir: out });
    expectBuild(run, true);
    seen.push(readFileSync(join(out, 'apt-report'), 'utf8').trim());
  }
  return seen;
}

e2eTest('rm -rf of the mounted lists: the original empties the cache, the rewritten file keeps it', async () => {
  const original = dockerfile(`dfrewrite-e2e-lists-${runId}-original`, 'rm -rf /var/lib/apt/lists/*');
  expect(await twice(original)).toEqual(['lists=downloaded', 'lists=downloaded']);
  const fixed = rewritten(dockerfile(`dfrewrite-e2e-lists-${runId}-rewritten`, 'rm -rf /var/lib/apt/lists/*'));
  expect(fixed).toContain('    apt-get update\n');
  expect(await twice(fixed)).toEqual(['lists=downloaded', 'lists=cached']);
});

e2eTest('rm -rf of the mount point itself fails the build; the rewritten file builds', async () => {
  const original = dockerfile(`dfrewrite-e2e-mountpoint-${runId}`, 'rm -rf /var/lib/apt/lists');
  const failed = await build(context(original), { buildArgs: { RUN_ID: runId } });
  expectBuild(failed, false);
  expect(failed.output).toMatch(/can't remove '\/var\/lib\/apt\/lists': (Resource|Device or resource) busy/);
  const passed = await build(context(rewritten(original)), { buildArgs: { RUN_ID: runId } });
  expectBuild(passed, true);
});
