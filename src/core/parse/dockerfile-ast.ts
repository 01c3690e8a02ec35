import * as DockerfileAst from 'dockerfile-ast';

/**
 * dockerfile-ast, for the few instructions parsed with it (ENV). Only ENV instructions need it and
 * many runs never reach one: loaded up front, it was a third of the CLI's start-up, so the Node
 * bundles (scripts/build.mjs) swap this module for one that requires the library on first call.
 * A plain import here keeps the engine free of Node's module API (it also runs embedded).
 */
export function dockerfileAst(): typeof DockerfileAst {
  return DockerfileAst;
}
