#!/usr/bin/env node
// Node >= 22.8 keeps on disk the code V8 compiles up front for the bundle, so later runs compile
// less (2-7 ms of CPU, docs/performance.md); older Node has no enableCompileCache and runs as
// before. No directory is passed: Node's default, os.tmpdir()/node-compile-cache
// (NODE_COMPILE_CACHE overrides it, NODE_DISABLE_COMPILE_CACHE=1 turns it off), works for
// read-only and npx installs (the package directory is never written), keeps one subdirectory per
// Node version, architecture and uid, and writes each entry to a temporary file renamed into
// place, so concurrent runs do not corrupt it. Entries are checked against the source's hash, so
// an upgrade recompiles. If the directory cannot be created or written, Node returns a failure
// status instead of throwing and the CLI runs uncached.
require('node:module').enableCompileCache?.();
require('../dist/cli.cjs');
