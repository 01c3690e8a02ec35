/** The Solve request that hands the build to the upstream Dockerfile frontend. */
import { DOCKERFILE_KEY } from './dockerfile-source.js';
import type { SolveRequest } from './gateway/messages.js';
import { BUILTIN_UPSTREAM } from './options.js';

/** The file the upstream should read instead of the user's: a pb.Definition and the path in it. */
export interface ReplacementDockerfile {
  filename: string;
  definition: Uint8Array;
}

/** The frontend that builds: `ref` is `dockerfile.v0` or an image; `cmdline` its syntax line value. */
export interface Upstream {
  ref: string;
  /** What the upstream gets as `cmdline`: its own arguments, when a `# syntax=` line named it. */
  cmdline: string;
}

/**
 * Every option and input goes on as received, except:
 * - `cmdline` is set to the upstream: the Dockerfile frontend only follows a `# syntax=` line
 *   (or BUILDKIT_SYNTAX) when there is no `cmdline`, so it will not run dfrewrite again;
 * - `source` names the upstream image when there is one (gateway.v0 runs `source`);
 * - with a replacement, the `dockerfile` input is the replacement, `filename` its path, and
 *   `dockerfilekey` is dropped, since it would make the upstream read the session instead.
 */
export function upstreamRequest(
  options: Map<string, string>,
  inputs: Map<string, Uint8Array>,
  upstream: Upstream,
  replacement?: ReplacementDockerfile,
): SolveRequest {
  const frontendOpt = new Map(options);
  const frontendInputs = new Map<string, Uint8Array>(inputs);
  frontendOpt.set('cmdline', upstream.cmdline);
  const builtin = upstream.ref === BUILTIN_UPSTREAM;
  if (!builtin) frontendOpt.set('source', upstream.ref);
  if (replacement) {
    frontendOpt.delete('dockerfilekey');
    frontendOpt.set('filename', replacement.filename);
    frontendInputs.set(DOCKERFILE_KEY, replacement.definition);
  }
  return { frontend: builtin ? BUILTIN_UPSTREAM : 'gateway.v0', frontendOpt, frontendInputs };
}
