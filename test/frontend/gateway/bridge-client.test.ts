// The gRPC client (with its own HTTP/2 client) against Node's HTTP/2 server and raw sockets answering as grpc-go does in
// the cases grpc-js (the fake daemon) does not reproduce.
import { createServer, type ServerHttp2Stream } from 'node:http2';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer as createNetServer, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { GrpcError, connectBridge, isMessageTooLarge, statusOf } from '../../../src/frontend/gateway/bridge-client.js';
import { streamChannel } from '../../helpers/node-io.js';

interface Listener {
  listen(path: string, callback: () => void): unknown;
  close(): unknown;
}

let dir: string | undefined;
const cleanups: (() => unknown)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Starts `listener` on a fresh unix socket (both closed after the test) and connects to it. */
async function listenAndConnect(listener: Listener): Promise<Socket> {
  dir = mkdtempSync(join(tmpdir(), 'dfrewrite-h2-'));
  const path = join(dir, 's.sock');
  cleanups.push(() => listener.close());
  await new Promise<void>((resolve) => listener.listen(path, resolve));
  const socket = await new Promise<Socket>((resolve) => {
    const s = connect(path, () => resolve(s));
  });
  // A reset as the peer goes away after the test is not under test: calls report their own errors.
  socket.on('error', () => {});
  cleanups.push(() => socket.destroy());
  return socket;
}

/** A bridge to an HTTP/2 server whose every stream `handle` answers. */
async function bridgeTo(handle: (stream: ServerHttp2Stream, path: string) => void) {
  const server = createServer();
  server.on('stream', (stream, headers) => handle(stream, String(headers[':path'])));
  const socket = await listenAndConnect(server);
  return connectBridge(streamChannel(socket, socket));
}

test('a server that refuses a large message before reading it (grpc-go, BuildKit 0.8): the call fails at once', async () => {
  const bridge = await bridgeTo((stream) => {
    // grpc-go answers from the length prefix, and never reads the rest, nor resets the stream
    stream.pause();
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () =>
      stream.sendTrailers({
        'grpc-status': '8',
        'grpc-message': 'grpc: received message larger than max (10485775 vs. 4194304)',
      }),
    );
    stream.end();
  });
  const refused = await bridge.solve({ definition: Buffer.alloc(10 << 20, 1) }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(GrpcError);
  expect((refused as GrpcError).code).toBe(8);
  expect(isMessageTooLarge(refused)).toBe(true);
  bridge.close();
});

test('the same as grpc-go answers it on BuildKit 0.8: Trailers-Only, then RST_STREAM NO_ERROR while the request is still being sent', async () => {
  const bridge = await bridgeTo((stream) => {
    stream.pause();
    stream.on('error', () => {});
    stream.respond(
      {
        ':status': 200,
        'content-type': 'application/grpc',
        'grpc-status': '8',
        'grpc-message': 'grpc: received message larger than max (5767187 vs. 4194304)',
      },
      { endStream: true },
    );
    stream.close(0); // NO_ERROR: the client has not half-closed
  });
  const refused = await bridge.solve({ definition: Buffer.alloc(5 << 20, 1) }).catch((e: unknown) => e);
  expect(isMessageTooLarge(refused)).toBe(true);
  // and the connection goes on
  const again = await bridge.solve({ definition: Buffer.alloc(5 << 20, 1) }).catch((e: unknown) => e);
  expect(isMessageTooLarge(again)).toBe(true);
  bridge.close();
});

test('status details (BuildKit’s typed errors) come back as sent; grpc-message is percent-decoded', async () => {
  const details = Buffer.from([0x08, 0x02, 0x12, 0x03, 0x61, 0x62, 0x63]);
  const bridge = await bridgeTo((stream) => {
    stream.on('data', () => {});
    stream.on('end', () => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () =>
        stream.sendTrailers({
          'grpc-status': '2',
          'grpc-message': 'failed%20to%20solve%3A%20100%25',
          'grpc-status-details-bin': details.toString('base64').replace(/=+$/, ''),
        }),
      );
      stream.end();
    });
  });
  const error = (await bridge.readFile('ref', 'Dockerfile').catch((e: unknown) => e)) as GrpcError;
  expect(error.details).toBe('failed to solve: 100%');
  expect(Buffer.from(statusOf(error))).toEqual(details);
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
  expect(Buffer.from(await bridge.readFile('ref', 'x')).toString()).toBe('hi');
  await expect(
    bridge.warn({ digest: 'd', level: 1, short: 's', detail: [], url: '', ranges: [] }),
  ).resolves.toBeUndefined();
  bridge.close();
});

test('a connection that ends without an answer fails the call', async () => {
  const bridge = await bridgeTo((stream) => stream.session?.destroy());
  const error = (await bridge.ping().catch((e: unknown) => e)) as GrpcError;
  expect(error).toBeInstanceOf(GrpcError);
  expect(error.code).toBe(14);
  bridge.close();
});

test('the daemon ending its side of the connection mid-call fails the call, without waiting', async () => {
  // a bare socket: once the request has come, it ends its side (the frontend's stdin ends)
  const socket = await listenAndConnect(createNetServer({ allowHalfOpen: true }, (s) => s.once('data', () => s.end())));
  const bridge = connectBridge(streamChannel(socket, socket));
  const error = (await bridge.ping().catch((e: unknown) => e)) as GrpcError;
  expect(error).toBeInstanceOf(GrpcError);
  expect(error.code).toBe(14);
  bridge.close();
});

test('a call reset by the server fails alone; the connection goes on', async () => {
  const bridge = await bridgeTo((stream, path) => {
    stream.on('error', () => {});
    stream.on('data', () => {});
    stream.on('end', () => {
      if (path.endsWith('/Solve'))
        stream.close(2); // INTERNAL_ERROR
      else {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '0' }, { endStream: true });
      }
    });
  });
  const error = (await bridge.solve({ definition: Buffer.from('x') }).catch((e: unknown) => e)) as GrpcError;
  expect(error).toBeInstanceOf(GrpcError);
  expect(error.message).toMatch(/Solve: .*reset/);
  // the connection goes on
  await expect(
    bridge.warn({ digest: 'd', level: 1, short: 's', detail: [], url: '', ranges: [] }),
  ).resolves.toBeUndefined();
  bridge.close();
});

test('messages of 16 MiB out and 24 MiB back, on separate input and output streams as BuildKit gives them', async () => {
  let received = 0;
  const server = createServer();
  server.on('stream', (stream) => {
    stream.on('data', (chunk: Buffer) => (received += chunk.length));
    stream.on('end', () => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      // ReadFileResponse{Data: 24 MiB}
      const data = Buffer.alloc(24 << 20, 0x61);
      const message = Buffer.concat([Buffer.from([0x0a]), varint(data.length), data]);
      const prefix = Buffer.alloc(5);
      prefix.writeUInt32BE(message.length, 1);
      stream.end(Buffer.concat([prefix, message]));
    });
  });
  const socket = await listenAndConnect(server);
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  socket.pipe(stdin);
  stdout.pipe(socket);
  const bridge = connectBridge(streamChannel(stdin, stdout));
  const data = await bridge.readFile('ref', 'x'.repeat(16 << 20));
  expect(data.length).toBe(24 << 20);
  expect(received).toBeGreaterThan(16 << 20);
  bridge.close();
});

test('close() fails what is still pending', async () => {
  const bridge = await bridgeTo((stream) => stream.on('data', () => {}));
  const pending = bridge.ping().catch((e: unknown) => e);
  await new Promise((resolve) => setTimeout(resolve, 20));
  bridge.close();
  expect(((await pending) as GrpcError).code).toBe(14);
  await expect(bridge.ping()).rejects.toThrow(/closed/);
});

function varint(n: number): Buffer {
  const out: number[] = [];
  for (; n > 0x7f; n = Math.floor(n / 128)) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return Buffer.from(out);
}

// BuildKit's errors carry the Dockerfile in a trailer (grpc-status-details-bin), over 64 KiB for a
// Dockerfile of about 22 KB, and it sends them whatever limit the client advertises. nghttp2 (so
// node:http2 and grpc-js) decodes no header field over 64 KiB: the connection would fail and the
// user would see "exit code: 1" instead of the parse error. This client decodes them.
test('a trailer over 64 KiB (an error carrying a large Dockerfile) comes back whole', async () => {
  const details = 'a'.repeat(70000);
  const raw = createNetServer((socket) => {
    socket.on('error', () => {});
    socket.write(frame(0x4, 0, 0, Buffer.alloc(0))); // SETTINGS
    // once the preface and the first request (stream 1) are in: they are not read
    socket.once('data', () =>
      setTimeout(() => {
        // literal header fields without indexing; the last one 70000 bytes, in HEADERS + CONTINUATIONs
        const block = Buffer.concat(
          [
            [':status', '200'],
            ['content-type', 'application/grpc'],
            ['grpc-status', '2'],
            ['grpc-message', 'failed'],
            ['grpc-status-details-bin', details],
          ].map(([name, value]) =>
            Buffer.concat([
              Buffer.from([0]),
              hpackInteger(name!.length),
              Buffer.from(name!),
              hpackInteger(value!.length),
              Buffer.from(value!),
            ]),
          ),
        );
        for (let i = 0; i < block.length; i += 16384) {
          const last = i + 16384 >= block.length;
          socket.write(
            frame(i === 0 ? 0x1 : 0x9, (i === 0 ? 0x1 : 0) | (last ? 0x4 : 0), 1, block.subarray(i, i + 16384)),
          );
        }
      }, 20),
    );
    socket.resume();
  });
  const socket = await listenAndConnect(raw);
  const bridge = connectBridge(streamChannel(socket, socket));
  const error = (await bridge.ping().catch((e: unknown) => e)) as GrpcError;
  expect(error).toBeInstanceOf(GrpcError);
  expect(error.code).toBe(2);
  expect(error.details).toBe('failed');
  expect(error.statusDetails?.length).toBeGreaterThan(50000);
  bridge.close();
});

function frame(type: number, flags: number, id: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(id, 5);
  return Buffer.concat([header, payload]);
}

/** An HPACK string length (7-bit prefix, no Huffman). */
function hpackInteger(value: number): Buffer {
  if (value < 127) return Buffer.from([value]);
  const out = [127];
  for (value -= 127; value >= 128; value = Math.floor(value / 128)) out.push((value % 128) + 128);
  out.push(value);
  return Buffer.from(out);
}
