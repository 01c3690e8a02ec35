// Bundles each entry point into one self-contained ESM file: a bundle starts faster than a tree
// of modules (the CLI runs in pre-commit hooks, the frontend in every build), and the frontend
// image needs nothing but its one file.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = {
  index: 'src/index.ts',
  cli: 'src/cli/main.ts',
  frontend: 'src/frontend/main.ts',
};

await build({
  entryPoints: Object.fromEntries(Object.entries(entries).filter(([, path]) => existsSync(path))),
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS dependencies (dockerfile-ast, grpc-js) call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
});
