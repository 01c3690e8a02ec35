// npm run bench: figures and ratios, each against a baseline measured in the same run (medians).
// Timing lives here, never in the test suite. See docs/performance.md for how to read it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { rewrite } from '../dist/index.js';

const require = createRequire(import.meta.url);
const { DockerfileParser } = require('dockerfile-ast');
const REPS = Number(process.env.BENCH_REPS ?? 7);
const CORPUS = new URL('../../shared/corpus/files/', import.meta.url).pathname;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (t) => `${t.toFixed(1)} ms`;
function time(fn) {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** A multi-stage file of about `bytes` bytes, with comments, apt cache mounts and uv steps. */
function generated(bytes) {
  const stage = (i) =>
    `# stage ${i}: builds part ${i}\nFROM debian:bookworm AS s${i}\nENV UV_COMPILE_BYTECODE=1\n` +
    `# apt packages for part ${i}\nRUN --mount=type=cache,target=/var/cache/apt \\\n    apt-get update && apt-get install -y gcc\n` +
    `RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen\nCOPY --from=s0 /x /x\n`;
  let text = '';
  for (let i = 0; text.length < bytes; i++) text += stage(i);
  return text;
}

function corpus() {
  if (existsSync(CORPUS)) {
    return { name: 'shared/corpus', files: readdirSync(CORPUS).map((f) => readFileSync(join(CORPUS, f), 'utf8')) };
  }
  const files = [];
  for (let i = 0; i < 300; i++) files.push(i % 5 === 0 ? generated(2000 + i * 10) : `FROM debian\nRUN echo ${i}\nCMD ["x"]\n`);
  return { name: 'generated (shared/corpus absent)', files };
}

function section(title) {
  console.log(`\n## ${title}`);
}

function corpusThroughput() {
  const { name, files } = corpus();
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f), 0);
  const run = (fn) => median(Array.from({ length: REPS }, () => time(() => files.forEach((f) => { try { fn(f); } catch { /* refused input counts as processed */ } }))));
  run((f) => rewrite(f)); // warm up both paths before measuring
  const parse = run((f) => DockerfileParser.parse(f));
  const ours = run((f) => rewrite(f));
  section(`Corpus throughput: ${name}, ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB`);
  console.log(`dockerfile-ast parse only: ${(files.length / (parse / 1000)).toFixed(0)} files/s, ${(bytes / 1e6 / (parse / 1000)).toFixed(2)} MB/s (${ms(parse)})`);
  console.log(`rewrite():                 ${(files.length / (ours / 1000)).toFixed(0)} files/s, ${(bytes / 1e6 / (ours / 1000)).toFixed(2)} MB/s (${ms(ours)})`);
  console.log(`ratio rewrite/parse throughput: ${(parse / ours).toFixed(2)}x (target >= 2x)`);
}

function scaling() {
  section('Cost by input size (generated multi-stage files, every stage needing fixes)');
  for (const size of [1e3, 1e5, 1e7]) {
    const text = generated(size);
    const reps = size >= 1e7 ? 3 : REPS;
    const t = median(Array.from({ length: reps }, () => time(() => rewrite(text))));
    console.log(`${(text.length / 1e3).toFixed(0).padStart(6)} KB: ${ms(t).padStart(10)}  ${(t / (text.length / 1e6)).toFixed(0)} ms/MB`);
  }
}

function coldStart() {
  const dir = mkdtempSync(join(tmpdir(), 'dfrewrite-bench-'));
  const file = join(dir, 'Dockerfile');
  writeFileSync(file, 'FROM debian:bookworm\nRUN apt-get update\n');
  const once = (args) => time(() => spawnSync(process.execPath, args, { stdio: 'ignore' }));
  const node = [];
  const cli = [];
  for (let i = 0; i < 15; i++) {
    node.push(once(['-e', '0']));
    cli.push(once(['bin/dfrewrite.js', '--check', file]));
  }
  section('CLI cold start (15 alternating runs, medians)');
  console.log(`node -e 0:                 ${ms(median(node))}`);
  console.log(`dfrewrite --check (small): ${ms(median(cli))}`);
  console.log(`ratio: ${(median(cli) / median(node)).toFixed(2)}x (target <= 1.3x)`);
}

function memory() {
  if (!existsSync('/usr/bin/time')) return;
  const { files } = corpus();
  const dir = mkdtempSync(join(tmpdir(), 'dfrewrite-bench-'));
  const largest = join(dir, 'largest.Dockerfile');
  writeFileSync(largest, files.reduce((a, b) => (b.length > a.length ? b : a)));
  const big = join(dir, 'big.Dockerfile');
  writeFileSync(big, generated(1e7));
  const rss = (args) => {
    const r = spawnSync('/usr/bin/time', ['-f', '%M', ...args], { encoding: 'utf8' });
    return Number(r.stderr.trim().split('\n').pop()) / 1024;
  };
  section('Memory (peak RSS)');
  console.log(`node -e 0:                                     ${rss([process.execPath, '-e', '0']).toFixed(0)} MB`);
  console.log(`dfrewrite --check, largest corpus file (${(statSync(largest).size / 1e3).toFixed(0)} KB): ${rss([process.execPath, 'bin/dfrewrite.js', '--check', largest]).toFixed(0)} MB`);
  console.log(`dfrewrite --check, 10 MB generated file:       ${rss([process.execPath, 'bin/dfrewrite.js', '--check', big]).toFixed(0)} MB`);
}

console.log(`# dfrewrite benchmark (node ${process.version}, ${REPS} repetitions, medians)`);
corpusThroughput();
scaling();
coldStart();
memory();
