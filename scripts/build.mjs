// Bundles each entry point: a bundle starts faster than a tree of modules (the CLI runs in
// pre-commit hooks, the frontend in every build), and the frontend's binary compiles one file
// (native/build.sh). The library and the frontend are ES modules; the CLI is CommonJS (below).
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';

/**
 * src/core/parse/dockerfile-ast.ts loads dockerfile-ast on first use through `createRequire`, which a
 * bundle cannot follow: here it becomes a plain `require`, which esbuild bundles as a module that
 * is only evaluated when first called.
 */
const lazyDockerfileAst = {
  name: 'lazy-dockerfile-ast',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]core[\\/]parse[\\/]dockerfile-ast\.ts$/ }, (args) => ({
      contents: "let loaded; export function dockerfileAst() { return (loaded ??= require('dockerfile-ast')); }",
      loader: 'js',
      resolveDir: args.path.replace(/[\\/][^\\/]*$/, ''),
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
};
const esm = {
  ...common,
  format: 'esm',
  // CommonJS dependencies (dockerfile-ast, ajv, …) call require(); give an ESM bundle one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  plugins: [lazyDockerfileAst],
};
const cjs = { ...common, format: 'cjs', outExtension: { '.js': '.cjs' } };

// The library: one file. Its metafile, with the embedded frontend's (below), lists every module in
// each bundle: the release's SBOM (scripts/release/sbom.mjs) reads it.
const bundles = await build({
  ...esm,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  metafile: true,
});

// The embedded frontend (issue 15): the same engine for quickjs-ng, compiled to bytecode and linked
// into one static binary by native/build.sh. `platform: neutral`: no Node built-in may be reached.
const embedded = await build({
  ...common,
  platform: 'neutral',
  target: 'es2023',
  format: 'esm',
  mainFields: ['module', 'main'],
  external: ['qjs:*'],
  entryPoints: { frontend: 'src/frontend/embedded/main.ts' },
  outdir: 'dist/embedded',
  metafile: true,
});
const meta = [bundles.metafile, embedded.metafile];
writeFileSync(
  'dist/bundles.meta.json',
  JSON.stringify({
    inputs: Object.assign({}, ...meta.map((m) => m.inputs)),
    outputs: Object.assign({}, ...meta.map((m) => m.outputs)),
  }),
);

// The CLI: one CommonJS file, because Node starts a CommonJS entry sooner than an ES module (about
// 5 ms of a 60 ms start: it never starts the ES module loader). The large libraries that only
// some runs need (dockerfile-ast, the YAML parser and the schema validator of a configuration
// file, the diff library) are CommonJS bundles of their own beside it, required on first use.
const LAZY_LIBRARIES = ['dockerfile-ast', 'yaml', 'ajv', 'diff'];
const requireLazyLibraries = {
  name: 'require-lazy-libraries',
  setup(build) {
    const filter = new RegExp(`^(${LAZY_LIBRARIES.join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `./cli-chunks/${args.path}.cjs`, external: true }));
  },
};
rmSync('dist/cli-chunks', { recursive: true, force: true });
await build({
  ...cjs,
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  plugins: [lazyDockerfileAst, requireLazyLibraries],
});
await build({ ...cjs, entryPoints: LAZY_LIBRARIES, outdir: 'dist/cli-chunks' });

// Tells test/setup/build-dist.ts when dist/ was last built whole.
writeFileSync('dist/.built', '');
