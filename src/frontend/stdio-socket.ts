/**
 * BuildKit speaks gRPC to a frontend over the frontend's stdin and stdout, but grpc-js can only
 * dial addresses. So the frontend listens on an abstract unix socket (no file to clean up, no
 * writable directory needed) and splices the one connection grpc-js makes onto stdin/stdout.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { Readable, Writable } from 'node:stream';

/** Listens, and returns the address for grpc-js (its `unix:` resolver passes a leading NUL on). */
export async function spliceStdioToSocket(stdin: Readable, stdout: Writable): Promise<string> {
  const name = `\0dfrewrite-${process.pid}-${randomBytes(6).toString('hex')}`;
  const server = createServer((socket) => {
    // One connection only: a reconnect could not resume the stream BuildKit already started.
    server.close();
    // A broken pipe ends the connection; grpc-js then fails the calls in flight.
    socket.on('error', () => socket.destroy());
    stdout.on('error', () => socket.destroy());
    socket.pipe(stdout);
    stdin.pipe(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(name, resolve);
  });
  return `unix:${name}`;
}
