/**
 * The byte stream the gateway runs on: the frontend's stdin and stdout, as the runtime gives them
 * (embedded/fd-channel.ts in the image, stream-channel.ts on Node).
 */
export interface ByteChannel {
  /** Delivers what arrives, in order; `onEnd` once, when the peer closes or the channel fails. */
  receive(onData: (bytes: Uint8Array) => void, onEnd: (error?: Error) => void): void;
  /** Queues bytes to send (the caller does not reuse the array); a failure arrives through `onEnd`. */
  send(bytes: Uint8Array): void;
  /** Nothing more to send or receive. */
  close(): void;
}

/** `onEnd` for a channel that can end in several ways (end of input, a read or write error): told once. */
export function endOnce(onEnd: (error?: Error) => void): (error?: Error) => void {
  let ended = false;
  return (error) => {
    if (ended) return;
    ended = true;
    onEnd(error);
  };
}
