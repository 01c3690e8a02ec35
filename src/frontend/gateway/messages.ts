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
import * as FIELD from './fields.js';
import { concat, EMPTY } from './bytes.js';
import { encodeUtf8 } from '../../core/parse/utf8.js';

const MAP_VALUE = FIELD.MapEntry.value;

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
  result: Uint8Array;
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
export type ReturnRequest = { result: Uint8Array } | { error: Uint8Array };

export const encodeEmpty = (): Uint8Array => EMPTY;

export function encodeSolveRequest(request: SolveRequest): Uint8Array {
  const w = new ProtoWriter();
  const F = FIELD.SolveRequest;
  if (request.definition) w.message(F.Definition, request.definition);
  w.string(F.Frontend, request.frontend ?? '');
  w.map(F.FrontendOpt, request.frontendOpt ?? [], (entry, value) => entry.string(MAP_VALUE, value));
  // The result comes back as a Result message, with per-platform refs when there are several.
  w.bool(F.allowResultReturn, true).bool(F.allowResultArrayRef, true);
  w.map(F.FrontendInputs, request.frontendInputs ?? [], (entry, value) => entry.message(MAP_VALUE, value));
  w.bool(F.Evaluate, request.evaluate ?? false);
  return w.finish();
}

export function decodeSolveResponse(message: Uint8Array): SolveResponse {
  const fields = readFields(message);
  const result = bytesField(fields, FIELD.SolveResponse.result);
  return { refId: resultRefId(result) || stringField(fields, FIELD.SolveResponse.ref), result };
}

/** The single reference of a Result: `ref.id`, or `refDeprecated` from old servers. */
function resultRefId(result: Uint8Array): string {
  const fields = readFields(result);
  const ref = bytesFields(fields, FIELD.Result.ref).at(-1);
  return ref ? stringField(readFields(ref), FIELD.Ref.id) : stringField(fields, FIELD.Result.refDeprecated);
}

export function encodeReadFileRequest(request: { ref: string; path: string }): Uint8Array {
  const F = FIELD.ReadFileRequest;
  return new ProtoWriter().string(F.Ref, request.ref).string(F.FilePath, request.path).finish();
}

export function decodeReadFileResponse(message: Uint8Array): Uint8Array {
  return bytesField(readFields(message), FIELD.ReadFileResponse.Data);
}

/** The enabled capability ids of a PongResponse. */
export function decodePongResponse(message: Uint8Array): Set<string> {
  const caps = new Set<string>();
  for (const cap of bytesFields(readFields(message), FIELD.PongResponse.FrontendAPICaps)) {
    const fields = readFields(cap);
    if (intField(fields, FIELD.APICap.Enabled) !== 0n) caps.add(stringField(fields, FIELD.APICap.ID));
  }
  return caps;
}

/** The frontend inputs, as pb.Definition bytes by name. */
export function decodeInputsResponse(message: Uint8Array): Map<string, Uint8Array> {
  return mapField(readFields(message), FIELD.InputsResponse.Definitions, (entry) => bytesField(entry, MAP_VALUE));
}

export function encodeWarnRequest(request: WarnRequest): Uint8Array {
  const F = FIELD.WarnRequest;
  const w = new ProtoWriter()
    .string(F.digest, request.digest)
    .int(F.level, request.level)
    .bytes(F.short, encodeUtf8(request.short));
  for (const detail of request.detail) w.bytes(F.detail, encodeUtf8(detail));
  w.string(F.url, request.url);
  if (request.info) {
    const I = FIELD.SourceInfo;
    const info = new ProtoWriter().string(I.filename, request.info.filename).bytes(I.data, request.info.data);
    if (request.info.definition) info.message(I.definition, request.info.definition);
    w.message(F.info, info.string(I.language, request.info.language));
  }
  const P = FIELD.Position;
  const R = FIELD.Range;
  for (const range of request.ranges) {
    const position = (p: { line: number; character: number }) =>
      new ProtoWriter().int(P.line, p.line).int(P.character, p.character);
    w.message(F.ranges, new ProtoWriter().message(R.start, position(range.start)).message(R.end, position(range.end)));
  }
  return w.finish();
}

export function encodeReturnRequest(request: ReturnRequest): Uint8Array {
  return 'result' in request
    ? new ProtoWriter().message(FIELD.ReturnRequest.result, request.result).finish()
    : new ProtoWriter().message(FIELD.ReturnRequest.error, request.error).finish();
}

/** A google.rpc.Status without details, for errors that did not come with one. */
export function encodeStatus(code: number, message: string): Uint8Array {
  return new ProtoWriter().int(FIELD.Status.code, code).string(FIELD.Status.message, message).finish();
}

/**
 * The Result without the definitions of its references (`Ref.def`, in `ref` and each
 * `refs` entry): the daemon reads only their ids (gateway.go, Return). A definition carries the
 * Dockerfile frontend's source map, i.e. the whole Dockerfile, which can take a Return of a large
 * file over the 4 MiB limit of BuildKit before v0.14.
 */
export function withoutRefDefinitions(result: Uint8Array): Uint8Array {
  const stripRef = (ref: Uint8Array) =>
    concat(
      readFields(ref)
        .filter((f) => f.field !== FIELD.Ref.def)
        .map((f) => f.raw),
    );
  return concat(
    readFields(result).map((f) => {
      if (!f.value) return f.raw;
      if (f.field === FIELD.Result.ref) return lengthDelimited(FIELD.Result.ref, stripRef(f.value));
      if (f.field !== FIELD.Result.refs) return f.raw;
      const refMap = readFields(f.value).map((entry) => {
        if (entry.field !== FIELD.RefMap.refs || !entry.value) return entry.raw;
        const parts = readFields(entry.value).map((p) =>
          p.field === MAP_VALUE && p.value ? lengthDelimited(MAP_VALUE, stripRef(p.value)) : p.raw,
        );
        return lengthDelimited(FIELD.RefMap.refs, concat(parts));
      });
      return lengthDelimited(FIELD.Result.refs, concat(refMap));
    }),
  );
}
