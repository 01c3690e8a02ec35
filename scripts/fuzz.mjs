#!/usr/bin/env node
// Long fuzz campaign of the rewrite properties: `npm run fuzz -- [--runs N] [--seed S] [--chunk C]`.
// Runs test/properties/fuzz.campaign.test.ts under vitest (which compiles the TypeScript sources);
// counterexamples are written to test/fixtures/regressions/ and replayed by regressions.test.ts.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const options = { runs: 100_000, seed: Math.floor(Math.random() * 2 ** 31), chunk: 5000 };
for (let i = 0; i < args.length; i++) {
  const [flag, inline] = args[i].split('=', 2);
  const name = flag.replace(/^--/, '');
  if (!(name in options) || !flag.startsWith('--')) {
    console.error(`usage: npm run fuzz -- [--runs N] [--seed S] [--chunk C]   (unknown argument ${args[i]})`);
    process.exit(2);
  }
  const value = Number(inline ?? args[++i]);
  if (!Number.isSafeInteger(value) || value < 0) {
    console.error(`--${name} wants a non-negative integer`);
    process.exit(2);
  }
  options[name] = value;
}
if (options.runs === 0 || options.chunk === 0) {
  console.error('--runs and --chunk must be positive');
  process.exit(2);
}
console.log(
  `fuzz: seed ${options.seed}, ${options.runs} cases (replay with: npm run fuzz -- --runs ${options.runs} --seed ${options.seed})`,
);
const vitest = join(repo, 'node_modules', 'vitest', 'vitest.mjs');
const child = spawn(process.execPath, [vitest, 'run', 'test/properties/fuzz.campaign.test.ts'], {
  cwd: repo,
  stdio: 'inherit',
  env: {
    ...process.env,
    DFREWRITE_FUZZ_RUNS: String(options.runs),
    DFREWRITE_FUZZ_SEED: String(options.seed),
    DFREWRITE_FUZZ_CHUNK: String(options.chunk),
  },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
