/**
 * Both directions at once: the daemon sends 2 MiB while the frontend is still sending a 16 MiB
 * Return. The binary writes stdout without blocking (fd-writer.ts) so that it goes on reading
 * stdin meanwhile; here the daemon's 2 MiB must have been taken before the Return has all
 * arrived, which a frontend that reads only between writes would not do. A daemon of its own
 * (node:http2): grpc-js answers only once a request is whole.
 */
import { createServer, type ServerHttp2Stream } from 'node:http2';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { encode, optionEnv, runFrontendOn, types } from './fake-daemon.js';

const SENT_BY_US = 16 << 20;
const SENT_BY_DAEMON = 2 << 20;
const MAX_WINDOW = 2 ** 31 - 1;

let cleanup = () => {};
afterEach(() => cleanup());

/** A gRPC message: not compressed, length, bytes. */
function framed(message: Uint8Array): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

function answer(stream: ServerHttp2Stream, message: Uint8Array): void {
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
  stream.end(framed(message));
}

test('the daemon’s 2 MiB are read while a 16 MiB Return is being sent', { timeout: 20_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dfrewrite-duplex-'));
  const socketPath = join(dir, 'bridge.sock');
  // The upstream's result: 16 MiB of metadata, which the frontend returns as it came.
  const result = encode(types.result, { ref: { id: 'r' }, metadata: { big: Buffer.alloc(SENT_BY_US, 0x61) } });
  const seen = { returned: 0, deliveredBeforeReturnEnded: false };
  // Windows wide open, as grpc-go's grow: nothing holds the 16 MiB back but the pipe itself.
  const server = createServer({ settings: { initialWindowSize: MAX_WINDOW } });
  server.on('session', (session) => session.on('connect', () => session.setLocalWindowSize(MAX_WINDOW)));
  server.on('stream', (stream, headers) => {
    stream.on('error', () => {});
    const method = String(headers[':path']).split('/').pop();
    if (method === 'Return') {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      let ended = false;
      // a ReturnResponse padded with an unknown field: the frontend reads it but needs nothing of it
      const padding = encode(types.status, { message: 'x'.repeat(SENT_BY_DAEMON) });
      stream.write(framed(padding), () => (seen.deliveredBeforeReturnEnded = !ended));
      stream.on('data', (chunk: Buffer) => (seen.returned += chunk.length));
      stream.on('end', () => {
        ended = true;
        stream.end();
      });
      return;
    }
    stream.on('data', () => {});
    stream.on('end', () => {
      if (method === 'Solve') answer(stream, encode(types.solveResponse, { result }));
      else if (method === 'Ping') answer(stream, encode(types.pongResponse, {}));
      else
        stream.respond(
          { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '12' },
          { endStream: true },
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  cleanup = () => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  };

  // DFREWRITE=off: Ping, Inputs, the upstream's Solve, Return; nothing else to wait for.
  const run = await runFrontendOn({ socketPath }, optionEnv({ 'build-arg:DFREWRITE': 'off' }));
  expect(run.log).toMatch(/returned \d+ ms after start/);
  expect(run.exitCode).toBe(0);
  expect(seen.returned).toBeGreaterThan(SENT_BY_US);
  expect(seen.deliveredBeforeReturnEnded).toBe(true);
});
