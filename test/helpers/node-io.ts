/** The frontend's I/O on Node, to run it in the test process against the fake daemon. */
import type { Readable, Writable } from 'node:stream';
import type { FrontendIO } from '../../src/frontend/frontend.js';
import { endOnce, type ByteChannel } from '../../src/frontend/gateway/channel.js';

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

/** Node's side of FrontendIO; the test process keeps its ids. */
export function nodeIO(io: Pick<FrontendIO, 'env' | 'channel' | 'log'>): FrontendIO {
  return {
    dropPrivileges: () => 'unchanged',
    now: () => performance.now(),
    cpuTime: () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    },
    identity: () =>
      `uid=${String(process.getuid?.())} gid=${String(process.getgid?.())} groups=${(process.getgroups?.() ?? []).join(',')}`,
    idle: () => new Promise((resolve) => setImmediate(resolve)),
    ...io,
  };
}
