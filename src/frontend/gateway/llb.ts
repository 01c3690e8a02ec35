/** LLB definitions (proto/ops.proto) for the two vertices the frontend makes. */
import { concat } from './bytes.js';
import * as FIELD from './fields.js';
import { dirname, joinPaths } from './paths.js';
import { sha256 } from './sha256.js';
import { ProtoWriter } from './wire.js';

const MAP_VALUE = FIELD.MapEntry.value;

/** A marshaled pb.Definition and the digest of the vertex it stands for. */
export interface Definition {
  bytes: Uint8Array;
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
    .string(FIELD.SourceOp.identifier, `local://${options.name}`)
    .map(FIELD.SourceOp.attrs, attrs, (entry, value) => entry.string(MAP_VALUE, value));
  return definition(new ProtoWriter().message(FIELD.Op.source, source).finish(), options.vertexName);
}

/** A directory holding just `files` (paths relative to its root), made from scratch. */
export function filesFromScratch(files: { path: string; data: Uint8Array }[], vertexName: string): Definition {
  const dirs = new Set(files.map((f) => dirname(absolute(f.path))).filter((dir) => dir !== '/'));
  const Action = FIELD.FileAction;
  const MkDir = FIELD.FileActionMkDir;
  const MkFile = FIELD.FileActionMkFile;
  const actions = [
    ...[...dirs].map((dir) =>
      new ProtoWriter().message(
        Action.mkdir,
        new ProtoWriter()
          .string(MkDir.path, dir)
          .int(MkDir.mode, 0o755)
          .bool(MkDir.makeParents, true)
          .int(MkDir.timestamp, NO_TIMESTAMP),
      ),
    ),
    ...files.map((file) =>
      new ProtoWriter().message(
        Action.mkfile,
        new ProtoWriter()
          .string(MkFile.path, absolute(file.path))
          .int(MkFile.mode, 0o644)
          .bytes(MkFile.data, file.data)
          .int(MkFile.timestamp, NO_TIMESTAMP),
      ),
    ),
  ];
  const fileOp = new ProtoWriter();
  actions.forEach((action, i) => {
    // The op has no inputs, so input i - 1 is the previous action's result.
    const input = i === 0 ? SCRATCH : i - 1;
    const output = i === actions.length - 1 ? 0 : SKIP_OUTPUT;
    const chaining = new ProtoWriter()
      .int(Action.input, input)
      .int(Action.secondaryInput, SCRATCH)
      .int(Action.output, output);
    fileOp.message(FIELD.FileOp.actions, concat([chaining.finish(), action.finish()]));
  });
  return definition(new ProtoWriter().message(FIELD.Op.file, fileOp).finish(), vertexName);
}

/** `op` plus the terminal op naming it, with the vertex name shown in the build output. */
function definition(op: Uint8Array, vertexName: string): Definition {
  const digest = `sha256:${sha256(op)}`;
  // The terminal op has the named vertex as its only input.
  const terminal = new ProtoWriter()
    .message(FIELD.Op.inputs, new ProtoWriter().string(FIELD.Input.digest, digest))
    .finish();
  const metadata = new ProtoWriter().map(
    FIELD.OpMetadata.description,
    [['llb.customname', vertexName]],
    (entry, value) => entry.string(MAP_VALUE, value),
  );
  const bytes = new ProtoWriter()
    .message(FIELD.Definition.def, op)
    .message(FIELD.Definition.def, terminal)
    .map(FIELD.Definition.metadata, [[digest, metadata]], (entry, value) => entry.message(MAP_VALUE, value))
    .finish();
  return { bytes, digest };
}

function absolute(path: string): string {
  return joinPaths('/', path);
}
