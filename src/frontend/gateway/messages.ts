/** Encoders and decoders for the LLBBridge messages declared in proto/gateway.proto. */
import {
  ProtoWriter,
  bytesField,
  bytesFields,
  intField,
  lengthDelimited,
  mapField,
  readFields,
  stringField,
} from './wire.js';

export interface SolveRequest {
  /** A pb.Definition. */
  definition?: Uint8Array;
  frontend?: string;
  frontendOpt?: Map<string, string>;
  /** pb.Definition bytes by input name. */
  frontendInputs?: Map<string, Uint8Array>;
  /** Build it now rather than when read (capability `gateway.solve.evaluate`, BuildKit v0.11+). */
  evaluate?: boolean;
}

export interface SolveResponse {
  /** The reference a later ReadFile can name. */
  refId: string;
  /** The Result message exactly as received, to be returned unchanged; empty when absent. */
  result: Buffer;
}

export interface WarnRequest {
  digest: string;
  level: number;
  short: string;
  detail: string[];
  url: string;
  /** The file the ranges are in; none for a warning about no file. */
  info?: { filename: string; data: Uint8Array; definition?: Uint8Array; language: string };
  /** One-based lines, zero-based characters, as BuildKit's pb.Range. */
  ranges: { start: { line: number; character: number }; end: { line: number; character: number } }[];
}

/** Either a Result as Solve returned it or a google.rpc.Status. */
export type ReturnRequest = { result: Buffer } | { error: Buffer };

export const encodeEmpty = (): Buffer => Buffer.alloc(0);

export function encodeSolveRequest(request: SolveRequest): Buffer {
  const w = new ProtoWriter();
  if (request.definition) w.message(1, request.definition);
  w.string(2, request.frontend ?? '');
  w.map(3, request.frontendOpt ?? [], (entry, value) => entry.string(2, value));
  // The result comes back as a Result message, with per-platform refs when there are several.
  w.bool(5, true).bool(6, true);
  w.map(13, request.frontendInputs ?? [], (entry, value) => entry.message(2, value));
  w.bool(14, request.evaluate ?? false);
  return w.finish();
}

export function decodeSolveResponse(message: Buffer): SolveResponse {
  const fields = readFields(message);
  const result = bytesField(fields, 3);
  return { refId: resultRefId(result) || stringField(fields, 1), result };
}

/** The single reference of a Result: `ref.id` (3.1), or `refDeprecated` (1) from old servers. */
function resultRefId(result: Buffer): string {
  const fields = readFields(result);
  const ref = bytesFields(fields, 3).at(-1);
  return ref ? stringField(readFields(ref), 1) : stringField(fields, 1);
}

export function encodeReadFileRequest(request: { ref: string; path: string }): Buffer {
  return new ProtoWriter().string(1, request.ref).string(2, request.path).finish();
}

export function decodeReadFileResponse(message: Buffer): Buffer {
  return bytesField(readFields(message), 1);
}

/** The enabled capability ids of a PongResponse. */
export function decodePongResponse(message: Buffer): Set<string> {
  const caps = new Set<string>();
  for (const cap of bytesFields(readFields(message), 1)) {
    const fields = readFields(cap);
    if (intField(fields, 2) !== 0n) caps.add(stringField(fields, 1));
  }
  return caps;
}

/** The frontend inputs, as pb.Definition bytes by name. */
export function decodeInputsResponse(message: Buffer): Map<string, Buffer> {
  return mapField(readFields(message), 1, (entry) => bytesField(entry, 2));
}

export function encodeWarnRequest(request: WarnRequest): Buffer {
  const w = new ProtoWriter()
    .string(1, request.digest)
    .int(2, request.level)
    .bytes(3, Buffer.from(request.short, 'utf8'));
  for (const detail of request.detail) w.bytes(4, Buffer.from(detail, 'utf8'));
  w.string(5, request.url);
  if (request.info) {
    const info = new ProtoWriter().string(1, request.info.filename).bytes(2, request.info.data);
    if (request.info.definition) info.message(3, request.info.definition);
    w.message(6, info.string(4, request.info.language));
  }
  for (const range of request.ranges) {
    const position = (p: { line: number; character: number }) => new ProtoWriter().int(1, p.line).int(2, p.character);
    w.message(7, new ProtoWriter().message(1, position(range.start)).message(2, position(range.end)));
  }
  return w.finish();
}

export function encodeReturnRequest(request: ReturnRequest): Buffer {
  return 'result' in request
    ? new ProtoWriter().message(1, request.result).finish()
    : new ProtoWriter().message(2, request.error).finish();
}

/** A google.rpc.Status without details, for errors that did not come with one. */
export function encodeStatus(code: number, message: string): Buffer {
  return new ProtoWriter().int(1, code).string(2, message).finish();
}

/**
 * The Result without the definitions of its references (`Ref.def`, field 2, in `ref` and each
 * `refs` entry): the daemon reads only their ids (gateway.go, Return). A definition carries the
 * Dockerfile frontend's source map, i.e. the whole Dockerfile, which can take a Return of a large
 * file over the 4 MiB limit of BuildKit before v0.14.
 */
export function withoutRefDefinitions(result: Buffer): Buffer {
  const stripRef = (ref: Buffer) =>
    Buffer.concat(
      readFields(ref)
        .filter((f) => f.field !== 2)
        .map((f) => f.raw),
    );
  return Buffer.concat(
    readFields(result).map((f) => {
      if (!f.value) return f.raw;
      if (f.field === 3) return lengthDelimited(3, stripRef(f.value));
      if (f.field !== 4) return f.raw;
      const refMap = readFields(f.value).map((entry) => {
        if (entry.field !== 1 || !entry.value) return entry.raw;
        const parts = readFields(entry.value).map((p) =>
          p.field === 2 && p.value ? lengthDelimited(2, stripRef(p.value)) : p.raw,
        );
        return lengthDelimited(1, Buffer.concat(parts));
      });
      return lengthDelimited(4, Buffer.concat(refMap));
    }),
  );
}
