/**
 * A stand-in for BuildKit's side of a gateway frontend: an LLBBridge gRPC server whose messages
 * are decoded with protobufjs from proto/*.proto (so the frontend's hand-written codecs are checked
 * against the schema), and helpers to run the frontend against it: in this process, or as the
 * shipped binary (build/native, as BuildKit starts it) in the `embedded` test project
 * (vitest.config.ts), which runs the frontend's suites again with DFREWRITE_TEST_FRONTEND=binary.
 */
import { Server, ServerCredentials, status, type Metadata, type ServiceDefinition } from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import protobuf from 'protobufjs';
import { afterEach } from 'vitest';
import { runFrontend } from '../../src/frontend/frontend.js';
import { nodeIO, streamChannel } from '../helpers/node-io.js';
import { assertCurrent, embeddedBinaries } from '../helpers/embedded-binary.js';

const root = protobuf.loadSync(join(import.meta.dirname, '../../proto/gateway.proto'));
export const types = {
  solveRequest: root.lookupType('moby.buildkit.v1.frontend.SolveRequest'),
  solveResponse: root.lookupType('moby.buildkit.v1.frontend.SolveResponse'),
  result: root.lookupType('moby.buildkit.v1.frontend.Result'),
  readFileRequest: root.lookupType('moby.buildkit.v1.frontend.ReadFileRequest'),
  readFileResponse: root.lookupType('moby.buildkit.v1.frontend.ReadFileResponse'),
  pongResponse: root.lookupType('moby.buildkit.v1.frontend.PongResponse'),
  inputsResponse: root.lookupType('moby.buildkit.v1.frontend.InputsResponse'),
  warnRequest: root.lookupType('moby.buildkit.v1.frontend.WarnRequest'),
  returnRequest: root.lookupType('moby.buildkit.v1.frontend.ReturnRequest'),
  status: root.lookupType('google.rpc.Status'),
  definition: root.lookupType('pb.Definition'),
  op: root.lookupType('pb.Op'),
};

/** Plain objects: int64 as numbers, bytes as Buffers, maps as records, no defaults. */
export function decode(type: protobuf.Type, bytes: Uint8Array): any {
  return type.toObject(type.decode(bytes), { longs: Number });
}

export function encode(type: protobuf.Type, value: object): Buffer {
  return Buffer.from(type.encode(type.fromObject(value)).finish());
}

/** A decoded pb.Definition: its ops, the terminal one last, and the per-digest metadata. */
export function decodeDefinition(bytes: Uint8Array): { ops: any[]; metadata: Record<string, any> } {
  const definition = decode(types.definition, bytes);
  return { ops: (definition.def ?? []).map((op: Buffer) => decode(types.op, op)), metadata: definition.metadata ?? {} };
}

/** A Result holding one reference: what a build returns. */
function refResult(id: string): Buffer {
  return encode(types.result, { ref: { id } });
}

/** What the upstream frontend answers: a Result as bytes, or a gRPC error. */
export type UpstreamAnswer = { result: Buffer } | { error: GrpcStatus };
type GrpcStatus = { code: number; details: string; metadata?: Metadata };

/** An error grpc-js sends as this status (it reads `code`, `details` and `metadata` off what is thrown). */
function grpcError({ code, details, metadata }: GrpcStatus): Error {
  return Object.assign(new Error(details), { code, details, metadata });
}

export interface DaemonSetup {
  /** Enabled capabilities listed by Ping. */
  caps?: string[];
  /** Frontend inputs, or 'unimplemented' for a daemon without the Inputs call. */
  inputs?: Record<string, Buffer> | 'unimplemented';
  /**
   * Directory trees by source: `local://NAME` for the session's directories, or the hex of an
   * input definition's bytes.
   */
  trees?: Record<string, Record<string, string | Buffer>>;
  upstream?: (request: any) => UpstreamAnswer | Promise<UpstreamAnswer>;
  /** Ping fails: the frontend has nothing to work with. */
  pingFails?: boolean;
  /** The server's message size limit: 16 MiB as BuildKit v0.14 and later; 4 MiB up to v0.13. */
  maxReceiveBytes?: number;
}

/** Everything the frontend sent, decoded. */
export interface DaemonRecord {
  /** Solve requests for a Definition alone (reads), decoded. */
  reads: any[];
  /** Solve requests naming a frontend: the hand-over to the upstream. */
  upstream: any[];
  readFiles: { Ref: string; FilePath: string }[];
  warnings: any[];
  returns: any[];
  /** Raw ReturnRequest bytes. */
  returnBytes: Buffer[];
}

export class FakeDaemon {
  readonly record: DaemonRecord = {
    reads: [],
    upstream: [],
    readFiles: [],
    warnings: [],
    returns: [],
    returnBytes: [],
  };
  private readonly server: Server;
  private readonly refs = new Map<string, Record<string, string | Buffer>>();
  private readonly dir = mkdtempSync(join(tmpdir(), 'dfrewrite-fake-daemon-'));
  readonly socketPath = join(this.dir, 'bridge.sock');

  constructor(private readonly setup: DaemonSetup = {}) {
    // BuildKit's gateway server takes messages up to 16 MiB (frontend/gateway/gateway.go, v0.14+).
    this.server = new Server({ 'grpc.max_receive_message_length': setup.maxReceiveBytes ?? 16 << 20 });
  }

  async start(): Promise<this> {
    const raw = (b: Buffer) => b;
    const method = (name: string) => ({
      path: `/moby.buildkit.v1.frontend.LLBBridge/${name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: raw,
      requestDeserialize: raw,
      responseSerialize: raw,
      responseDeserialize: raw,
    });
    const names = ['Ping', 'Inputs', 'Solve', 'ReadFile', 'Warn', 'Return'];
    const definition = Object.fromEntries(names.map((n) => [n, method(n)])) as ServiceDefinition;
    const unary =
      (handle: (request: Buffer) => Buffer | Promise<Buffer>) =>
      (call: { request: Buffer }, callback: (error: any, response?: Buffer) => void) => {
        Promise.resolve()
          .then(() => handle(call.request))
          .then(
            (response) => callback(null, response),
            (error: unknown) => callback(error),
          );
      };
    this.server.addService(definition, {
      Ping: unary(() => {
        if (this.setup.pingFails) throw grpcError({ code: status.UNAVAILABLE, details: 'daemon gone' });
        return encode(types.pongResponse, {
          FrontendAPICaps: (this.setup.caps ?? []).map((ID) => ({ ID, Enabled: true })),
        });
      }),
      Inputs: unary(() => {
        if (this.setup.inputs === 'unimplemented')
          throw grpcError({ code: status.UNIMPLEMENTED, details: 'unknown method Inputs' });
        return encode(types.inputsResponse, { Definitions: this.setup.inputs ?? {} });
      }),
      Solve: unary((request) => this.solve(request)),
      ReadFile: unary((request) => {
        const read = decode(types.readFileRequest, request);
        this.record.readFiles.push(read);
        const content = this.refs.get(read.Ref)?.[posix.normalize(read.FilePath)];
        if (content === undefined)
          throw grpcError({ code: status.UNKNOWN, details: `open ${read.FilePath}: no such file or directory` });
        return encode(types.readFileResponse, { Data: Buffer.from(content) });
      }),
      Warn: unary((request) => {
        this.record.warnings.push(decode(types.warnRequest, request));
        return Buffer.alloc(0);
      }),
      Return: unary((request) => {
        this.record.returnBytes.push(request);
        this.record.returns.push(decode(types.returnRequest, request));
        return Buffer.alloc(0);
      }),
    });
    await new Promise<void>((resolve, reject) =>
      this.server.bindAsync(`unix:${this.socketPath}`, ServerCredentials.createInsecure(), (error) =>
        error ? reject(error) : resolve(),
      ),
    );
    return this;
  }

  stop(): Promise<void> {
    this.server.forceShutdown();
    rmSync(this.dir, { recursive: true, force: true });
    return Promise.resolve();
  }

  private async solve(request: Buffer): Promise<Buffer> {
    const solve = decode(types.solveRequest, request);
    if (solve.Frontend) {
      this.record.upstream.push(solve);
      const answer = await (this.setup.upstream ?? (() => ({ result: refResult('upstream-ref') })))(solve);
      if ('error' in answer) throw grpcError(answer.error);
      return encode(types.solveResponse, { result: answer.result });
    }
    this.record.reads.push(solve);
    const tree = this.treeOf(solve.Definition);
    if (!tree) throw grpcError({ code: status.UNKNOWN, details: 'no such source' });
    const id = `ref-${this.refs.size}`;
    this.refs.set(id, tree);
    return encode(types.solveResponse, { result: refResult(id) });
  }

  private treeOf(definition: Buffer): Record<string, string | Buffer> | undefined {
    const trees = this.setup.trees ?? {};
    const byBytes = trees[definition.toString('hex')];
    if (byBytes) return byBytes;
    const { ops } = decodeDefinition(definition);
    const source = ops.find((op) => op.source)?.source;
    if (source) return trees[source.identifier];
    // A FileOp on scratch (what the frontend makes): the files it writes.
    const actions: any[] = ops.find((op) => op.file)?.file.actions ?? [];
    const files = actions
      .filter((a) => a.mkfile)
      .map((a) => [a.mkfile.path.replace(/^\//, ''), Buffer.from(a.mkfile.data ?? [])]);
    return files.length > 0 ? Object.fromEntries(files) : undefined;
  }
}

/** A daemon (this fake one, or a test's own) listening on a unix socket. */
export interface Listening {
  socketPath: string;
}

export interface FrontendRun {
  exitCode: number;
  log: string;
}

/** Frontend options as BuildKit passes them, numbered in reverse to show order does not matter. */
export function optionEnv(options: Record<string, string>, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const entries = Object.entries(options).reverse();
  return {
    ...Object.fromEntries(entries.map(([k, v], i) => [`BUILDKIT_FRONTEND_OPT_${entries.length - 1 - i}`, `${k}=${v}`])),
    BUILDKIT_SESSION_ID: 'session-1',
    BUILDKIT_WORKERS: '[]',
    ...extra,
  };
}

/** The frontend's runs in this test process go through the shipped binary (the `embedded` project). */
export const binaryUnderTest = process.env.DFREWRITE_TEST_FRONTEND === 'binary';

/** Runs the frontend as the test project says: in this process, or as the shipped binary. */
export function runFrontendOn(daemon: Listening, env: NodeJS.ProcessEnv): Promise<FrontendRun> {
  return binaryUnderTest ? runBinary(daemon, env) : runInProcess(daemon, env);
}

/** Runs `runFrontend` in this process, its stdin/stdout spliced onto a connection to the daemon. */
export async function runInProcess(daemon: Listening, env: NodeJS.ProcessEnv): Promise<FrontendRun> {
  const socket = await connectTo(daemon);
  const lines: string[] = [];
  try {
    const exitCode = await runFrontend(
      nodeIO({ env, channel: streamChannel(socket, socket), log: (m) => lines.push(m) }),
    );
    return { exitCode, log: lines.join('\n') };
  } finally {
    socket.destroy();
  }
}

/**
 * One fake daemon at a time for a test file: `start` sets one up, `run` also runs the frontend in
 * process against it, and the daemon is stopped after each test.
 */
export function fakeDaemonPerTest() {
  let current: FakeDaemon | undefined;
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });
  const start = async (setup: DaemonSetup = {}) => (current = await new FakeDaemon(setup).start());
  const run = async (setup: DaemonSetup, options: Record<string, string> = {}) => {
    const daemon = await start(setup);
    return { ...(await runFrontendOn(daemon, optionEnv(options))), record: daemon.record };
  };
  return { start, run };
}

/** The shipped amd64 binary (native/build.sh), as BuildKit starts it: no arguments, gRPC on stdin/stdout. */
export function runBinary(daemon: Listening, env: NodeJS.ProcessEnv): Promise<FrontendRun> {
  const binary = embeddedBinaries().binaries.find((b) => b.arch === 'amd64');
  if (!binary) throw new Error('no amd64 binary: run native/build.sh');
  assertCurrent(binary);
  return runProgram(daemon, env, binary.command);
}

async function runProgram(daemon: Listening, env: NodeJS.ProcessEnv, command: string[]): Promise<FrontendRun> {
  const socket = await connectTo(daemon);
  const [program, ...args] = command;
  const child = spawn(program!, args, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdout.pipe(socket);
  socket.pipe(child.stdin);
  socket.on('error', () => {});
  child.stdin.on('error', () => {});
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  socket.destroy();
  return { exitCode, log };
}

function connectTo(daemon: Listening): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(daemon.socketPath, () => resolve(socket)).once('error', reject);
  });
}
