/** LLB definitions (proto/ops.proto) for the two vertices the frontend makes. */
import { posix } from 'node:path';
import { ProtoWriter } from './wire.js';

/** A marshaled pb.Definition and the digest of the vertex it stands for. */
export interface Definition {
  bytes: Buffer;
  digest: string;
}

/** FileAction input: none, an empty directory. */
const SCRATCH = -1;
/** FileAction output of every action but the last. */
const SKIP_OUTPUT = -1;
/** FileAction timestamp: none given (0 would be the Unix epoch). */
const NO_TIMESTAMP = -1;

/** A session directory, as the Dockerfile frontend reads it: only `followPaths` are transferred. */
export function localSource(options: {
  name: string;
  sessionId: string;
  followPaths: string[];
  vertexName: string;
}): Definition {
  const attrs = new Map([
    ['local.session', options.sessionId],
    ['local.followpaths', JSON.stringify(options.followPaths)],
    // Lets the daemon reuse what it already transferred for the same directory.
    ['local.sharedkeyhint', options.name],
  ]);
  const source = new ProtoWriter()
    .string(1, `local://${options.name}`)
    .map(2, attrs, (entry, value) => entry.string(2, value));
  return definition(new ProtoWriter().message(3, source).finish(), options.vertexName);
}

/** A directory holding just `files` (paths relative to its root), made from scratch. */
export function filesFromScratch(files: { path: string; data: Uint8Array }[], vertexName: string): Definition {
  const dirs = new Set(files.map((f) => posix.dirname(absolute(f.path))).filter((dir) => dir !== '/'));
  const actions = [
    ...[...dirs].map((dir) =>
      new ProtoWriter().message(6, new ProtoWriter().string(1, dir).int(2, 0o755).bool(3, true).int(5, NO_TIMESTAMP)),
    ),
    ...files.map((file) =>
      new ProtoWriter().message(
        5,
        new ProtoWriter().string(1, absolute(file.path)).int(2, 0o644).bytes(3, file.data).int(5, NO_TIMESTAMP),
      ),
    ),
  ];
  const fileOp = new ProtoWriter();
  actions.forEach((action, i) => {
    // The op has no inputs, so input i - 1 is the previous action's result.
    const input = i === 0 ? SCRATCH : i - 1;
    const output = i === actions.length - 1 ? 0 : SKIP_OUTPUT;
    const chaining = new ProtoWriter().int(1, input).int(2, SCRATCH).int(3, output);
    fileOp.message(2, Buffer.concat([chaining.finish(), action.finish()]));
  });
  return definition(new ProtoWriter().message(4, fileOp).finish(), vertexName);
}

/** `op` plus the terminal op naming it, with the vertex name shown in the build output. */
function definition(op: Buffer, vertexName: string): Definition {
  const digest = `sha256:${sha256(op)}`;
  const terminal = new ProtoWriter().message(1, new ProtoWriter().string(1, digest)).finish();
  const metadata = new ProtoWriter().map(2, [['llb.customname', vertexName]], (entry, value) => entry.string(2, value));
  const bytes = new ProtoWriter()
    .message(1, op)
    .message(1, terminal)
    .map(2, [[digest, metadata]], (entry, value) => entry.message(2, value))
    .finish();
  return { bytes, digest };
}

/**
 * node:crypto, loaded when first needed: importing it costs a few milliseconds at every start,
 * and `--call` subrequests started without BUILDKIT_SYNTAX make no definition.
 */
function sha256(data: Uint8Array): string {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(data).digest('hex');
}

function absolute(path: string): string {
  return posix.join('/', path);
}
