import { createRequire } from 'node:module';
import type * as DockerfileAst from 'dockerfile-ast';

let loaded: typeof DockerfileAst | undefined;

/**
 * dockerfile-ast, loaded on first use (synchronously, as `rewrite()` is). Only ENV instructions
 * are parsed with it and many runs never reach one: loaded up front, it was a third of the CLI's
 * start-up. The bundles swap this `createRequire` for a require of their own (scripts/build.mjs).
 */
export function dockerfileAst(): typeof DockerfileAst {
  return (loaded ??= createRequire(import.meta.url)('dockerfile-ast') as typeof DockerfileAst);
}
