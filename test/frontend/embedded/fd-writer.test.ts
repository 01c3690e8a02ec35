/** The non-blocking stdout writer of the embedded frontend, against a pipe that fills up. */
import { describe, expect, it } from 'vitest';
import { FdWriter, type WritableFd } from '../../../src/frontend/embedded/fd-writer.js';

/** A pipe of `capacity` bytes: writes take what fits, EAGAIN when full; `drain` reads it out. */
class FakePipe implements WritableFd {
  readonly received: number[] = [];
  handler: (() => void) | null = null;
  handlerSets = 0;
  private buffered = 0;
  failWith: number | undefined;

  constructor(private readonly capacity: number) {}

  write(fd: number, buffer: ArrayBuffer, offset: number, length: number): number {
    expect(fd).toBe(1);
    if (this.failWith !== undefined) return this.failWith;
    const room = this.capacity - this.buffered;
    if (room === 0) return -11;
    const n = Math.min(room, length);
    const bytes = new Uint8Array(buffer, offset, n);
    for (const byte of bytes) this.received.push(byte);
    this.buffered += n;
    return n;
  }

  setWriteHandler(fd: number, handler: (() => void) | null): void {
    expect(fd).toBe(1);
    if (handler) this.handlerSets++;
    this.handler = handler;
  }

  /** The reader empties the pipe; the event loop calls the write handler if one is set. */
  drain(): void {
    this.buffered = 0;
    this.handler?.();
  }
}

const pattern = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (i * 7 + seed) & 0xff);

describe('FdWriter', () => {
  it('writes everything in order through a full pipe, waiting for the loop, then stops waiting', async () => {
    const pipe = new FakePipe(65_536);
    const out = new FdWriter(pipe, 1);
    const chunks = [pattern(100_000, 1), pattern(3, 2), pattern(200_000, 3)];
    for (const chunk of chunks) out.write(chunk);
    let drained = false;
    const done = out.drained().then(() => (drained = true));
    expect(pipe.received.length).toBe(65_536);
    expect(pipe.handler).not.toBeNull();
    while (pipe.handler) {
      await Promise.resolve();
      expect(drained).toBe(false);
      pipe.drain();
    }
    await done;
    expect(drained).toBe(true);
    expect(pipe.handlerSets).toBe(1);
    expect(Uint8Array.from(pipe.received)).toEqual(Uint8Array.from(chunks.flatMap((c) => [...c])));
  });

  it('a write that fits resolves at once and never waits for the loop', async () => {
    const pipe = new FakePipe(1024);
    const out = new FdWriter(pipe, 1);
    out.write(pattern(1000, 4));
    await out.drained();
    expect(pipe.handlerSets).toBe(0);
    expect(pipe.received.length).toBe(1000);
  });

  it('an error other than EAGAIN rejects the wait and later writes', async () => {
    const pipe = new FakePipe(10);
    const out = new FdWriter(pipe, 1);
    out.write(pattern(100, 5));
    const done = out.drained();
    pipe.failWith = -32;
    pipe.drain();
    await expect(done).rejects.toThrow('errno 32');
    expect(pipe.handler).toBeNull();
    expect(() => out.write(pattern(1, 6))).toThrow('errno 32');
  });
});
