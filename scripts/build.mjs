// Bundles each entry point into one self-contained ESM file: a bundle starts faster than a tree
// of modules (the CLI runs in pre-commit hooks, the frontend in every build), and the frontend
// image needs nothing but its one file.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS dependencies (dockerfile-ast, ajv, …) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
};

// The library and the frontend: one file each (the frontend image carries nothing else).
const single = { index: 'src/index.ts', frontend: 'src/frontend/main.ts' };
await build({ ...common, entryPoints: Object.fromEntries(Object.entries(single).filter(([, p]) => existsSync(p))), outdir: 'dist' });

// The CLI: what only some runs need (the YAML parser and schema validator of a config file, the
// diff library, SARIF) goes into chunks loaded on first use.
await build({ ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', splitting: true, chunkNames: 'cli-chunks/[name]-[hash]' });
