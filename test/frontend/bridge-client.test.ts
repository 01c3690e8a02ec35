// The gRPC client on Node's HTTP/2, against a bare HTTP/2 server that answers as grpc-go does in
// the cases grpc-js (the fake daemon) does not reproduce.
import { createServer, type Http2Server, type ServerHttp2Stream } from 'node:http2';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { GrpcError, connectBridge, isMessageTooLarge, statusOf } from '../../src/frontend/bridge-client.js';

let server: Http2Server | undefined;
let dir: string | undefined;
afterEach(() => {
  server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  server = dir = undefined;
});

/** A bridge to a server whose every stream `handle` answers. */
async function bridgeTo(handle: (stream: ServerHttp2Stream, path: string) => void) {
  dir = mkdtempSync(join(tmpdir(), 'dfrewrite-h2-'));
  const path = join(dir, 's.sock');
  server = createServer();
  server.on('stream', (stream, headers) => handle(stream, String(headers[':path'])));
  await new Promise<void>((resolve) => server!.listen(path, resolve));
  const socket = await new Promise<ReturnType<typeof connect>>((resolve) => {
    const s = connect(path, () => resolve(s));
  });
  return connectBridge(socket, socket);
}

test('a server that refuses a large message before reading it (grpc-go, BuildKit 0.8): the call fails at once', async () => {
  const bridge = await bridgeTo((stream) => {
    // grpc-go answers from the length prefix, and never reads the rest, nor resets the stream
    stream.pause();
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () =>
      stream.sendTrailers({ 'grpc-status': '8', 'grpc-message': 'grpc: received message larger than max (10485775 vs. 4194304)' }),
    );
    stream.end();
  });
  const refused = await bridge.solve({ definition: Buffer.alloc(10 << 20, 1) }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(GrpcError);
  expect((refused as GrpcError).code).toBe(8);
  expect(isMessageTooLarge(refused)).toBe(true);
  bridge.close();
});

test('status details (BuildKit’s typed errors) come back as sent; grpc-message is percent-decoded', async () => {
  const details = Buffer.from([0x08, 0x02, 0x12, 0x03, 0x61, 0x62, 0x63]);
  const bridge = await bridgeTo((stream) => {
    stream.on('data', () => {});
    stream.on('end', () => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () =>
        stream.sendTrailers({ 'grpc-status': '2', 'grpc-message': 'failed%20to%20solve%3A%20100%25', 'grpc-status-details-bin': details.toString('base64').replace(/=+$/, '') }),
      );
      stream.end();
    });
  });
  const error = (await bridge.readFile('ref', 'Dockerfile').catch((e: unknown) => e)) as GrpcError;
  expect(error.details).toBe('failed to solve: 100%');
  expect(statusOf(error)).toEqual(details);
  bridge.close();
});

test('a response message is unframed; an empty one may come without a frame', async () => {
  const bridge = await bridgeTo((stream, path) => {
    stream.on('data', () => {});
    stream.on('end', () => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      // ReadFileResponse{Data: "hi"}, in two DATA frames
      if (path.endsWith('/ReadFile')) {
        stream.write(Buffer.from([0, 0, 0, 0, 4, 0x0a]));
        stream.write(Buffer.from([0x02, 0x68, 0x69]));
      }
      stream.end();
    });
  });
  expect((await bridge.readFile('ref', 'x')).toString()).toBe('hi');
  await expect(bridge.warn({ digest: 'd', level: 1, short: 's', detail: [], url: '', ranges: [] })).resolves.toBeUndefined();
  bridge.close();
});

test('a connection that ends without an answer fails the call', async () => {
  const bridge = await bridgeTo((stream) => stream.session?.destroy());
  const error = (await bridge.ping().catch((e: unknown) => e)) as GrpcError;
  expect(error).toBeInstanceOf(GrpcError);
  expect(error.code).toBe(14);
  bridge.close();
});
