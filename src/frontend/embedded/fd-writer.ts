/**
 * Writes to a non-blocking file descriptor through the embedded engine's event loop. The frontend's
 * stdout is a pipe to the daemon, which may itself be sending to us: a blocking write of a large
 * message while the daemon waits for us to read would deadlock, so fd 1 is non-blocking (main.c)
 * and what the pipe does not take now waits for the loop to say it is writable.
 */

/** The part of quickjs-ng's `os` module this needs (a fake in the unit tests). */
export interface WritableFd {
  /** Bytes written, or a negative errno. */
  write(fd: number, buffer: ArrayBuffer, offset: number, length: number): number;
  setWriteHandler(fd: number, handler: (() => void) | null): void;
}

const EINTR = -4;
const EAGAIN = -11;

export class FdWriter {
  private readonly queue: Uint8Array[] = [];
  private waiting = false;
  private drainedCallbacks: (() => void)[] = [];
  private failure: Error | undefined;

  constructor(
    private readonly os: WritableFd,
    private readonly fd: number,
    /** Told once, when a write fails. */
    private readonly onError?: (error: Error) => void,
  ) {}

  /** Queues the bytes (kept as given: do not reuse the array) and writes what the fd takes now. */
  write(bytes: Uint8Array): void {
    if (this.failure) throw this.failure;
    if (bytes.length > 0) this.queue.push(bytes);
    if (!this.waiting) this.flush();
  }

  /** Resolves once everything queued has been written; rejects if the fd failed. */
  drained(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) =>
      this.drainedCallbacks.push(() => (this.failure ? reject(this.failure) : resolve())),
    );
  }

  private flush(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const written = this.os.write(this.fd, head.buffer as ArrayBuffer, head.byteOffset, head.length);
      if (written === EINTR) continue;
      if (written === EAGAIN) {
        this.waitForWritable();
        return;
      }
      if (written < 0) {
        this.fail(new Error(`write to fd ${this.fd} failed: errno ${-written}`));
        return;
      }
      if (written < head.length) this.queue[0] = head.subarray(written);
      else this.queue.shift();
    }
    this.stopWaiting();
    this.notifyDrained();
  }

  private waitForWritable(): void {
    if (this.waiting) return;
    this.waiting = true;
    this.os.setWriteHandler(this.fd, () => this.flush());
  }

  private stopWaiting(): void {
    if (!this.waiting) return;
    this.waiting = false;
    this.os.setWriteHandler(this.fd, null);
  }

  private fail(error: Error): void {
    this.failure = error;
    this.queue.length = 0;
    this.stopWaiting();
    this.notifyDrained();
    this.onError?.(error);
  }

  private notifyDrained(): void {
    const callbacks = this.drainedCallbacks;
    this.drainedCallbacks = [];
    for (const callback of callbacks) callback();
  }
}
