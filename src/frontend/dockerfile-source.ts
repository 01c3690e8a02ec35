/**
 * Finds and reads the Dockerfile the way BuildKit's Dockerfile frontend does
 * (frontend/dockerui: config.go ReadEntrypoint, context.go initContext).
 */
import type { LLBBridge } from './gateway/bridge-client.js';
import { localSource } from './gateway/llb.js';
import { dirname, joinPaths } from './gateway/paths.js';
import { basename } from '../core/parse/shell.js';

export const DOCKERFILE_KEY = 'dockerfile';
const DEFAULT_FILENAME = 'Dockerfile';

export interface DockerfileSource {
  /** Where the file was found, relative to its source: `filename`, or its lowercase fallback. */
  filename: string;
  data: Uint8Array;
  /** `<filename>.dockerignore` (the name asked for, not the fallback), when there is one. */
  dockerignore: Uint8Array | undefined;
  /** The pb.Definition the file was read from. */
  definition: Uint8Array;
}

/** The file, or why it cannot be read here (the upstream then reads it itself). */
export type DockerfileLookup = DockerfileSource | { unavailable: string };

export async function readDockerfile(
  bridge: LLBBridge,
  options: Map<string, string>,
  inputs: Map<string, Uint8Array>,
  sessionId: string,
): Promise<DockerfileLookup> {
  const filename = options.get('filename') || DEFAULT_FILENAME;
  const localName = options.get('dockerfilekey');
  const context = options.get(options.get('contextkey') ?? 'context') ?? '';
  // The upstream takes the Dockerfile from a git or HTTP context before it looks at inputs, so
  // a rewritten file could not be handed to it.
  if (isRemoteContext(context)) return { unavailable: `remote build context ${context}` };

  const lowercase = basename(filename) === DEFAULT_FILENAME ? joinPaths(dirname(filename), 'dockerfile') : undefined;
  // A `dockerfilekey` option makes the upstream ignore the `dockerfile` input, as we do.
  const input = localName === undefined ? inputs.get(DOCKERFILE_KEY) : undefined;
  const name = localName ?? DOCKERFILE_KEY;
  const definition =
    input ??
    localSource({
      name,
      sessionId: options.get(`local-sessionid:${name}`) ?? sessionId,
      followPaths: [filename, `${filename}.dockerignore`, ...(lowercase ? [lowercase] : [])],
      vertexName: `[internal] load build definition from ${filename}`,
    }).bytes;

  const { refId } = await bridge.solve({ definition });
  const read = (path: string) => bridge.readFile(refId, path).catch(() => undefined);
  // One round trip for all candidates: a missing file is only a failed read.
  const [data, dockerignore, fallback] = await Promise.all([
    read(filename),
    read(`${filename}.dockerignore`),
    lowercase ? read(lowercase) : undefined,
  ]);
  if (data) return { filename, data, dockerignore, definition };
  if (lowercase && fallback) return { filename: lowercase, data: fallback, dockerignore, definition };
  return { unavailable: `cannot read ${filename}` };
}

/** A context the upstream fetches itself: git (as dfgitutil.ParseGitRef accepts) or HTTP. */
function isRemoteContext(context: string): boolean {
  return (
    /^(https?|git|ssh):\/\//i.test(context) || context.startsWith('github.com/') || /^[\w.-]+@[\w.-]+:/.test(context)
  );
}
