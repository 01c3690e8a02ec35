/**
 * A client for BuildKit's LLBBridge service: gRPC unary calls over HTTP/2 (http2.ts), on
 * the frontend's stdin/stdout (a ByteChannel), with the hand-written codecs of messages.ts.
 *
 * gRPC over HTTP/2 (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md) for unary
 * calls is a POST to /<service>/<method> with `content-type: application/grpc` and `te: trailers`,
 * the message framed as 1 byte (not compressed) + 4 bytes big-endian length + bytes, and the
 * outcome in `grpc-status`, `grpc-message` and `grpc-status-details-bin` (base64 google.rpc.Status),
 * as trailers, or as headers when the server sends no message. That is all this frontend needs:
 * no resolver, load balancing, retries or channelz, hence no grpc-js (whose loading was most of
 * the frontend's start-up time), and HTTP/2 itself from http2.ts rather than `node:http2`.
 */
import { fromBase64, readUint32 } from './bytes.js';
import type { ByteChannel } from './channel.js';
import {
  decodeInputsResponse,
  decodePongResponse,
  decodeReadFileResponse,
  decodeSolveResponse,
  encodeEmpty,
  encodeReadFileRequest,
  encodeReturnRequest,
  encodeSolveRequest,
  encodeStatus,
  encodeWarnRequest,
  type ReturnRequest,
  type SolveRequest,
  type SolveResponse,
  type WarnRequest,
} from './messages.js';
import { Http2Client } from './http2.js';

const SERVICE = '/moby.buildkit.v1.frontend.LLBBridge/';
/**
 * The largest message BuildKit's gateway server takes (v0.14 and later: containerd's
 * defaults.DefaultMaxRecvMsgSize, as its own frontends' grpcclient); up to v0.13 (Docker 20.10
 * has v0.8) it kept gRPC's default, 4 MiB: there a larger Solve is refused, and the frontend falls
 * back (frontend.ts). Nothing limits what this client receives: a result the Dockerfile frontend
 * can return must fit through dfrewrite too.
 */
export const MAX_MESSAGE_BYTES = 16 << 20;

/** gRPC status codes used here (google.rpc.Code). */
export const Status = { UNKNOWN: 2, RESOURCE_EXHAUSTED: 8, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14 } as const;

/** A failed call: the gRPC status, and the google.rpc.Status exactly as the server sent it. */
export class GrpcError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
    /** `grpc-status-details-bin`: BuildKit's typed errors (the failing Dockerfile line, the stack). */
    readonly statusDetails?: Uint8Array,
  ) {
    super(`${code} ${codeName(code)}: ${details}`);
    this.name = 'GrpcError';
  }
}

export interface LLBBridge {
  /** The enabled gateway capabilities. */
  ping(): Promise<Set<string>>;
  /** Frontend inputs (pb.Definition bytes by name); empty where the daemon has no Inputs call. */
  inputs(): Promise<Map<string, Uint8Array>>;
  /** A request, or one already encoded (whose size was needed first). */
  solve(request: SolveRequest | Uint8Array): Promise<SolveResponse>;
  readFile(ref: string, path: string): Promise<Uint8Array>;
  warn(request: WarnRequest): Promise<void>;
  return(request: ReturnRequest): Promise<void>;
  close(): void;
}

/** The bridge on the gRPC stream BuildKit gives a frontend (its stdin and stdout). */
export function connectBridge(channel: ByteChannel): LLBBridge {
  const connection = new Http2Client(channel);
  const call = <Req, Res>(
    method: string,
    encode: (r: Req) => Uint8Array,
    decode: (b: Uint8Array) => Res,
    request: Req,
  ) => unary(connection, method, encode(request)).then(decode);
  return {
    ping: () => call('Ping', encodeEmpty, decodePongResponse, undefined),
    inputs: () =>
      call('Inputs', encodeEmpty, decodeInputsResponse, undefined).catch((error: unknown) => {
        if (error instanceof GrpcError && error.code === Status.UNIMPLEMENTED) return new Map<string, Uint8Array>();
        throw error;
      }),
    solve: (request) =>
      call('Solve', (r) => (r instanceof Uint8Array ? r : encodeSolveRequest(r)), decodeSolveResponse, request),
    readFile: (ref, path) => call('ReadFile', encodeReadFileRequest, decodeReadFileResponse, { ref, path }),
    warn: (request) => call('Warn', encodeWarnRequest, () => undefined, request),
    return: (request) => call('Return', encodeReturnRequest, () => undefined, request),
    close: () => connection.close(),
  };
}

async function unary(connection: Http2Client, method: string, message: Uint8Array): Promise<Uint8Array> {
  const framed = new Uint8Array(5 + message.length);
  new DataView(framed.buffer).setUint32(1, message.length);
  framed.set(message, 5);
  const headers: [string, string][] = [
    [':method', 'POST'],
    [':scheme', 'http'],
    [':path', SERVICE + method],
    [':authority', 'buildkit'],
    ['content-type', 'application/grpc'],
    ['te', 'trailers'],
  ];
  let response;
  try {
    response = await connection.request(headers, framed);
  } catch (error) {
    throw new GrpcError(Status.UNAVAILABLE, `${method}: ${(error as Error).message}`);
  }
  // The status comes in the trailers, or in the headers when there is no message (Trailers-Only).
  const grpcStatus = response.headers.get('grpc-status');
  if (grpcStatus === undefined) {
    throw new GrpcError(
      Status.UNAVAILABLE,
      `${method}: no gRPC status (HTTP ${response.headers.get(':status') ?? 'none'})`,
    );
  }
  const code = Number(grpcStatus);
  if (code !== 0) {
    const details = response.headers.get('grpc-status-details-bin');
    throw new GrpcError(
      code,
      decodeMessage(response.headers.get('grpc-message') ?? ''),
      details ? fromBase64(details) : undefined,
    );
  }
  try {
    return unframe(response.data);
  } catch (error) {
    throw new GrpcError(Status.INTERNAL, `${method}: ${(error as Error).message}`);
  }
}

/** The one message of a unary response: flag byte (0: not compressed), length, bytes. */
function unframe(data: Uint8Array): Uint8Array {
  if (data.length === 0) return data; // an empty message may come without a frame
  if (data.length < 5) throw new Error('truncated gRPC frame');
  if (data[0] !== 0) throw new Error('compressed gRPC message (not negotiated)');
  const length = readUint32(data, 1);
  if (data.length < 5 + length) throw new Error('truncated gRPC message');
  return data.subarray(5, 5 + length);
}

/** grpc-message is percent-encoded (PROTOCOL-HTTP2.md); a malformed one is taken as it is. */
function decodeMessage(message: string): string {
  try {
    return decodeURIComponent(message);
  } catch {
    return message;
  }
}

/**
 * The google.rpc.Status of a failed call, as the server sent it: its details carry BuildKit's
 * typed errors (the failing Dockerfile line, the stack), so it is passed on byte for byte.
 */
export function statusOf(error: unknown): Uint8Array {
  if (error instanceof GrpcError) return error.statusDetails ?? encodeStatus(error.code, error.details);
  return encodeStatus(Status.UNKNOWN, error instanceof Error ? error.message : String(error));
}

/** The receiver refused a message for its size (gRPC's "received message larger than max"). */
export function isMessageTooLarge(error: unknown): boolean {
  return error instanceof GrpcError && error.code === Status.RESOURCE_EXHAUSTED && /larger than/i.test(error.details);
}

function codeName(code: number): string {
  const name = Object.entries(Status).find(([, value]) => value === code)?.[0];
  return name ?? 'ERROR';
}
