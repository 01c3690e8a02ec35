/** A client for BuildKit's LLBBridge service, with the hand-written codecs of gateway-messages. */
import { Client, Metadata, credentials, status, type ServiceError } from '@grpc/grpc-js';
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
} from './gateway-messages.js';

const SERVICE = '/moby.buildkit.v1.frontend.LLBBridge/';
// As BuildKit's own frontends (grpcclient, v0.25 and later) and its gateway server: a result the
// Dockerfile frontend can return must fit through dfrewrite too. gRPC's default is 4 MiB.
const MAX_MESSAGE_BYTES = 16 << 20;

export interface LLBBridge {
  /** The enabled gateway capabilities. */
  ping(): Promise<Set<string>>;
  /** Frontend inputs (pb.Definition bytes by name); empty where the daemon has no Inputs call. */
  inputs(): Promise<Map<string, Buffer>>;
  solve(request: SolveRequest): Promise<SolveResponse>;
  readFile(ref: string, path: string): Promise<Buffer>;
  warn(request: WarnRequest): Promise<void>;
  return(request: ReturnRequest): Promise<void>;
  close(): void;
}

export function connectBridge(address: string): LLBBridge {
  const client = new Client(address, credentials.createInsecure(), {
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
  });
  const call = <Req, Res>(method: string, encode: (r: Req) => Buffer, decode: (b: Buffer) => Res, request: Req) =>
    new Promise<Res>((resolve, reject) => {
      client.makeUnaryRequest(SERVICE + method, encode, decode, request, (error, response) =>
        error ? reject(error) : resolve(response as Res),
      );
    });
  return {
    ping: () => call('Ping', encodeEmpty, decodePongResponse, undefined),
    inputs: () =>
      call('Inputs', encodeEmpty, decodeInputsResponse, undefined).catch((error: unknown) => {
        if (isServiceError(error) && error.code === status.UNIMPLEMENTED) return new Map<string, Buffer>();
        throw error;
      }),
    solve: (request) => call('Solve', encodeSolveRequest, decodeSolveResponse, request),
    readFile: (ref, path) => call('ReadFile', encodeReadFileRequest, decodeReadFileResponse, { ref, path }),
    warn: (request) => call('Warn', encodeWarnRequest, () => undefined, request),
    return: (request) => call('Return', encodeReturnRequest, () => undefined, request),
    close: () => client.close(),
  };
}

/**
 * The google.rpc.Status of a failed call, as the server sent it: its details carry BuildKit's
 * typed errors (the failing Dockerfile line, the stack), so it is passed on byte for byte.
 */
export function statusOf(error: unknown): Buffer {
  if (isServiceError(error)) {
    const sent = error.metadata?.get('grpc-status-details-bin')[0];
    if (Buffer.isBuffer(sent)) return sent;
    return encodeStatus(error.code, error.details);
  }
  return encodeStatus(status.UNKNOWN, error instanceof Error ? error.message : String(error));
}

function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && 'code' in error && 'metadata' in error && error.metadata instanceof Metadata;
}
