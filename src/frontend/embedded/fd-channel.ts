/**
 * The gateway's byte channel on the embedded engine's file descriptors: what BuildKit sends is
 * read from stdin when the event loop says it is readable; what we send goes to stdout through
 * FdWriter (non-blocking: the daemon may be sending at the same time).
 */
import { endOnce, type ByteChannel } from '../gateway/channel.js';
import { FdWriter, type WritableFd } from './fd-writer.js';

/** The part of quickjs-ng's `os` module this needs (a fake in the unit tests). */
export interface ReadableFd {
  /** Bytes read, 0 at the end, or a negative errno. */
  read(fd: number, buffer: ArrayBuffer, offset: number, length: number): number;
  setReadHandler(fd: number, handler: (() => void) | null): void;
}

const EINTR = -4;
const EAGAIN = -11;
/** Bytes asked for per read: HTTP/2 frames from the daemon are at most 16 KiB plus a header. */
const CHUNK = 64 * 1024;

export function fdChannel(os: ReadableFd & WritableFd, input: number, output: number): ByteChannel {
  let stopReading = () => {};
  let failed: ((error: Error) => void) | undefined;
  const writer = new FdWriter(os, output, (error) => failed?.(error));
  return {
    receive(onData, onEnd) {
      const end = endOnce((error) => {
        stopReading();
        onEnd(error);
      });
      failed = end;
      const buffer = new ArrayBuffer(CHUNK);
      stopReading = () => os.setReadHandler(input, null);
      os.setReadHandler(input, () => {
        const count = os.read(input, buffer, 0, CHUNK);
        // A copy: the HTTP/2 client keeps what it is given, and the buffer is read into again.
        if (count > 0) onData(new Uint8Array(buffer.slice(0, count)));
        else if (count === 0) end();
        else if (count !== EINTR && count !== EAGAIN) end(new Error(`read from fd ${input} failed: errno ${-count}`));
      });
    },
    send: (bytes) => writer.write(bytes),
    close: () => stopReading(),
  };
}
