/** The frontend's I/O on Node: the Node image's entry (main.ts), and the tests' fake daemon. */
import type { Readable, Writable } from 'node:stream';
import type { FrontendIO } from './frontend.js';
import { endOnce, type ByteChannel } from './gateway/channel.js';
import { identity } from './privileges.js';

/** The gateway's byte channel on Node streams: stdin/stdout, or a socket in the tests. */
export function streamChannel(input: Readable, output: Writable): ByteChannel {
  return {
    receive(onData, onEnd) {
      const end = endOnce(onEnd);
      input.on('data', (chunk: Buffer) => onData(chunk));
      input.on('end', () => end());
      input.on('error', end);
      output.on('error', end);
    },
    send: (bytes) => void output.write(bytes),
    close: () => void output.end(),
  };
}

/** Node's side of FrontendIO; `dropPrivileges` keeps the ids unless given. */
export function nodeIO(
  io: Pick<FrontendIO, 'env' | 'channel' | 'log'> & Partial<Pick<FrontendIO, 'dropPrivileges'>>,
): FrontendIO {
  return {
    dropPrivileges: () => 'unchanged',
    now: () => performance.now(),
    cpuTime: () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    },
    identity: () => {
      const { uid, gid, groups } = identity();
      return `uid=${uid} gid=${gid} groups=${groups.join(',')}`;
    },
    idle: () => new Promise((resolve) => setImmediate(resolve)),
    ...io,
  };
}
