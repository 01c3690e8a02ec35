// npm run bench, engine section: a cached build through the built-in frontend, BuildKit's Go
// frontend image (docker/dockerfile:1) and ours, alternating, on the engine DOCKER_HOST names; then
// our process from start to Return (the daemon log), split into the daemon's answers and our own
// share with DFREWRITE_DEBUG=1's marks. docs/performance.md says how to read it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The daemon logs the frontend's stderr; the engine scripts keep their logs here. */
const DAEMON_LOGS = [
  '/var/tmp/dfrewrite-e2e/engine-2010/dockerd.log',
  '/var/tmp/dfrewrite-e2e/engine-current/dockerd.log',
];

/** The Go frontend image, when the engine has it (scripts/e2e/engine-current.sh frontend makes it). */
export const GO_IMAGE = 'docker/dockerfile:1';

/** The CLI for the engine DOCKER_HOST names, BuildKit on. */
export function dockerCli() {
  const cli = process.env.DFREWRITE_E2E_DOCKER || 'docker';
  return (args, opts = {}) =>
    spawnSync(cli, args, { encoding: 'utf8', env: { ...process.env, DOCKER_BUILDKIT: '1' }, ...opts });
}

/** Our frontend image to measure: built by scripts/e2e/build-frontend-image.sh, or DFREWRITE_BENCH_IMAGE as it is. */
export function ourImages() {
  const image =
    process.env.DFREWRITE_BENCH_IMAGE ||
    execFileSync('bash', ['scripts/e2e/build-frontend-image.sh'], { encoding: 'utf8' }).trim();
  return [{ name: 'dfrewrite', image }];
}

/** A cached three-stage build, its first line naming the frontend (none: the built-in one). */
export function threeStages(syntax) {
  return [
    syntax ? `# syntax=${syntax}` : '# built-in',
    'FROM local/busybox-amd64 AS base',
    'RUN --mount=type=cache,target=/var/cache/apt echo base > /base',
    'FROM base AS build',
    'RUN echo build > /build',
    'FROM local/busybox-amd64',
    'COPY --from=build /build /build',
    'CMD ["cat", "/build"]',
    '',
  ].join('\n');
}

/** What the daemon logs wrote while `fn` ran. */
function daemonLogDuring(fn) {
  const sizes = DAEMON_LOGS.map((log) => (existsSync(log) ? statSync(log).size : 0));
  fn();
  return DAEMON_LOGS.map((log, i) =>
    existsSync(log) ? readFileSync(log).subarray(sizes[i]).toString('utf8') : '',
  ).join('\n');
}

/**
 * Our process's time from start to Return and where it goes, from DFREWRITE_DEBUG=1's marks (ms
 * after start: started, daemon = Inputs answered, engine, read = Dockerfile read, rewritten,
 * upstream = the upstream's Solve answered): the daemon's answers, and what is left, our own.
 */
function splitOfReturn(log) {
  // the daemon log is shared: each marks line goes with the "returned" line its process wrote just before
  const runs = [];
  let returned;
  for (const line of log.split('\n')) {
    const total = /returned (\d+) ms after start/.exec(line);
    if (total) returned = Number(total[1]);
    const listed = /debug: ms after start: (.*)/.exec(line);
    if (!listed || returned === undefined) continue;
    const m = Object.fromEntries(listed[1].split(', ').map((pair) => [pair.split(' ')[0], Number(pair.split(' ')[1])]));
    const inputs = m.daemon - m.started;
    const transfer = m.read - m.daemon;
    const solve = m.upstream - m.rewritten;
    const own = returned - inputs - transfer - solve;
    runs.push({ total: returned, inputs, transfer, solve, own, started: m.started, rewrite: m.rewritten - m.read });
    returned = undefined;
  }
  return runs;
}

export function engineCost({ section, median, time, tempDir }) {
  section('Frontend on real BuildKit (cached three-stage build, alternating runs, medians)');
  if (!process.env.DOCKER_HOST) {
    console.log('skipped: no DOCKER_HOST (start an engine as in docs/testing.md)');
    return;
  }
  const docker = dockerCli();
  const engine = docker(['version', '--format', '{{.Server.Version}}']).stdout.trim();
  const ours = ourImages();
  const hasGo = docker(['image', 'inspect', GO_IMAGE]).status === 0;
  const dir = tempDir();
  const variants = [
    { name: 'built-in', syntax: undefined },
    ...(hasGo ? [{ name: GO_IMAGE, syntax: GO_IMAGE }] : []),
    ...ours.map(({ name, image }) => ({ name, syntax: image })),
  ];
  variants.forEach((v, i) => {
    v.file = join(dir, `${i}.Dockerfile`);
    writeFileSync(v.file, threeStages(v.syntax));
  });
  const build = (v, args = []) =>
    time(() => {
      const r = docker(['build', '--network=none', '-q', ...args, '-f', v.file, dir]);
      if (r.status !== 0) throw new Error(`${v.name} build failed: ${r.stderr}`);
    });
  for (const v of variants) build(v); // warm the cache and the frontend images
  const rounds = Number(process.env.BENCH_BUILDS ?? 15);
  const times = new Map(variants.map((v) => [v, []]));
  for (let i = 0; i < rounds; i++) for (const v of variants) times.get(v).push(build(v));
  const med = new Map(variants.map((v) => [v, median(times.get(v))]));
  const builtin = med.get(variants[0]);
  console.log(`engine: Docker ${engine}; ${rounds} rounds; ${ours.map((o) => `${o.name} = ${o.image}`).join(', ')}`);
  for (const v of variants)
    console.log(
      `${v.name.padEnd(22)} ${`${med.get(v).toFixed(1)} ms`.padStart(10)}  (+${(med.get(v) - builtin).toFixed(0)} ms over built-in)`,
    );
  const go = hasGo ? med.get(variants[1]) : undefined;
  for (const v of variants.slice(hasGo ? 2 : 1)) {
    if (go)
      console.log(`ratio ${v.name} / ${GO_IMAGE}: ${(med.get(v) / go).toFixed(2)}x (target <= 1.05x, goal 1.00x)`);
  }
  // DFREWRITE_DEBUG=1 names the file step after its timings, so these builds are not fully cached:
  // separate rounds, for the split only
  const debugRounds = Number(process.env.BENCH_DEBUG_BUILDS ?? 7);
  for (const v of variants.slice(hasGo ? 2 : 1)) {
    const runs = splitOfReturn(
      daemonLogDuring(() => {
        for (let i = 0; i < debugRounds; i++) build(v, ['--build-arg', 'DFREWRITE_DEBUG=1']);
      }),
    );
    if (runs.length === 0) {
      console.log(`${v.name}: no DFREWRITE_DEBUG marks in the daemon log (${DAEMON_LOGS.join(', ')})`);
      continue;
    }
    const m = (key) => median(runs.map((r) => r[key]));
    console.log(
      `${v.name}, start to Return (${runs.length} DFREWRITE_DEBUG=1 builds): ${m('total')} ms = daemon's answers ` +
        `[Inputs ${m('inputs')} ms, Dockerfile transfer ${m('transfer')} ms, upstream Solve ${m('solve')} ms] ` +
        `+ our own ${m('own')} ms (goal <= 15 ms; of it: until main runs ${m('started')} ms, rewrite ${m('rewrite')} ms)`,
    );
    if (go)
      console.log(
        `  gap to ${GO_IMAGE}: ${(med.get(v) - go).toFixed(0)} ms a build (the upstream Solve includes the Dockerfile conversion, which the Go image does in its own process)`,
      );
  }
}
