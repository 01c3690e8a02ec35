// Issue 18: what each stage sees of global, stage and parent-stage ARGs on this engine, against the
// table the model is tested with (test/helpers/arg-scoping.ts, docs/arg-scoping.md).
import { afterAll, expect } from 'vitest';
import { ARG_SCOPING, type ArgScopingRow } from '../helpers/arg-scoping.js';
import { build, buildkitAtLeast, cleanup, context, e2eTest, expectBuild } from './harness.js';

afterAll(cleanup);

/** What the row says this builder's BuildKit prints. */
const onThisBuilder = (row: ArgScopingRow): string => (buildkitAtLeast(row.since ?? 9) ? row.current : row.buildkit08);

/** The values the fixture's stages print: `<stage>: NAME=[value] …` and `<stage> mount: <dir>`. */
async function printed(file: ArgScopingRow['file'], buildArgs?: Record<string, string>): Promise<Map<string, string>> {
  const run = await build(context('arg-scoping', null, file), {
    file,
    platform: 'linux/arm64',
    noCache: true,
    buildArgs,
  });
  expectBuild(run, true);
  const seen = new Map<string, string>();
  for (const line of run.output.split('\n')) {
    const mount = /^#\d+ [\d.]+ ([\w-]+ mount): (\S+)$/.exec(line);
    if (mount) seen.set(`${mount[1]!}/target`, mount[2]!);
    const values = /^#\d+ [\d.]+ ([\w-]+): (.*)$/.exec(line);
    if (!values) continue;
    for (const [, name, value] of values[2]!.matchAll(/(\w+)=\[([^\]]*)\]/g))
      seen.set(`${values[1]!}/${name!}`, value!);
  }
  return seen;
}

const expected = (file: string, pick: (row: ArgScopingRow) => string | undefined): Map<string, string> =>
  new Map(
    ARG_SCOPING.filter((r) => r.file === file && pick(r) !== undefined).map((r) => [`${r.stage}/${r.name}`, pick(r)!]),
  );

e2eTest('each stage sees the ARG values the table records for this engine', async () => {
  for (const file of ['Dockerfile', 'platform.Dockerfile'] as const) {
    expect(await printed(file)).toEqual(expected(file, onThisBuilder));
  }
});

e2eTest('--build-arg replaces every declared value, also where a bare ARG took the global default', async () => {
  const names = [...new Set(ARG_SCOPING.filter((r) => r.overridden !== undefined).map((r) => r.name))];
  const seen = await printed('Dockerfile', Object.fromEntries(names.map((n) => [n, 'cli'])));
  const values = expected('Dockerfile', (r) => r.overridden);
  expect(new Map([...seen].filter(([key]) => values.has(key)))).toEqual(values);
});
