#!/usr/bin/env node
// Node 22.1 and later keep the code they compile from the CLI bundle (in the temporary directory)
// and skip compiling it on the next run; older Nodes have no such call and compile as before.
require('node:module').enableCompileCache?.();
require('../dist/cli.cjs');
