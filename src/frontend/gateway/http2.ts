/**
 * A minimal HTTP/2 client (RFC 9113) for gRPC unary calls, on any byte channel: just
 * enough for BuildKit's gateway on a frontend's stdin/stdout. Not `node:http2` (nor grpc-js, on the
 * same nghttp2): nghttp2 decodes no header field over 64 KiB, and BuildKit's errors carry the
 * Dockerfile in such a trailer, so a syntax error in a Dockerfile over ~20 KB would reach the user
 * as "exit code: 1"; loading it also costs ~11 ms per build (docs/performance.md, Frontend
 * transport). Requests are sent with literal, unindexed headers; responses are decoded in full
 * (HPACK, RFC 7541: static and dynamic tables, Huffman code). Flow control: the peer's windows are
 * respected when sending; ours are opened wide (there is one response in flight per call).
 */
import { concat, EMPTY, readUint16, readUint32, uint32 } from './bytes.js';
import type { ByteChannel } from './channel.js';
import { encodeHeaders, HpackDecoder } from './hpack.js';
import { encodeUtf8 } from '../../core/parse/utf8.js';

const DATA = 0x0;
const HEADERS = 0x1;
const RST_STREAM = 0x3;
const SETTINGS = 0x4;
const PING = 0x6;
const GOAWAY = 0x7;
const WINDOW_UPDATE = 0x8;
const CONTINUATION = 0x9;

const END_STREAM = 0x1;
const ACK = 0x1;
const END_HEADERS = 0x4;
const PADDED = 0x8;
const PRIORITY = 0x20;

const PREFACE = encodeUtf8('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
const MAX_WINDOW = 0x7fffffff;
const DEFAULT_WINDOW = 65535;
/** RST_STREAM code CANCEL: the answer came before all of the request was sent. */
const CANCEL = 0x8;

export interface Response {
  /** Response headers, then trailers, merged (a trailer wins). */
  headers: Map<string, string>;
  data: Uint8Array;
}

/** A failure of the connection or the stream, without a response to go by. */
export class StreamError extends Error {}

interface Stream {
  id: number;
  /** What is left to send, and whether END_STREAM went out. */
  pending: Uint8Array;
  ended: boolean;
  window: number;
  headers: Map<string, string>;
  data: Uint8Array[];
  resolve(response: Response): void;
  reject(error: Error): void;
}

export class Http2Client {
  private readonly streams = new Map<number, Stream>();
  private nextId = 1;
  private sendWindow = DEFAULT_WINDOW;
  private peerInitialWindow = DEFAULT_WINDOW;
  private peerMaxFrame = 16384;
  private received = 0;
  private buffer: Uint8Array = EMPTY;
  private headerBlock: { id: number; endStream: boolean; parts: Uint8Array[] } | undefined;
  private readonly decoder = new HpackDecoder();
  private closed: Error | undefined;

  constructor(private readonly channel: ByteChannel) {
    channel.receive(
      (chunk) => this.onData(chunk),
      (error) => this.fail(new StreamError(error ? `the connection failed: ${error.message}` : 'the connection ended')),
    );
    // SETTINGS: no server push (2), a wide initial stream window (4); then the connection window.
    const settings = Uint8Array.of(0, 0x2, 0, 0, 0, 0, 0, 0x4, ...uint32(MAX_WINDOW));
    this.write(concat([PREFACE, frame(SETTINGS, 0, 0, settings), windowUpdate(0, MAX_WINDOW - DEFAULT_WINDOW)]));
  }

  /** One request: `headers` (pseudo-headers first), then `body`; the response when it has ended. */
  request(headers: [string, string][], body: Uint8Array): Promise<Response> {
    if (this.closed) return Promise.reject(this.closed);
    const id = this.nextId;
    this.nextId += 2;
    return new Promise((resolve, reject) => {
      const stream: Stream = {
        id,
        pending: body,
        ended: false,
        window: this.peerInitialWindow,
        headers: new Map(),
        data: [],
        resolve,
        reject,
      };
      this.streams.set(id, stream);
      this.write(frame(HEADERS, END_HEADERS | (body.length === 0 ? END_STREAM : 0), id, encodeHeaders(headers)));
      stream.ended = body.length === 0;
      this.flush();
    });
  }

  close(): void {
    this.fail(new StreamError('the connection was closed'));
    this.channel.close();
  }

  private write(data: Uint8Array): void {
    if (!this.closed) this.channel.send(data);
  }

  /** Sends what flow control lets through, stream by stream. */
  private flush(): void {
    for (const stream of this.streams.values()) {
      while (!stream.ended) {
        const size = Math.min(stream.pending.length, this.peerMaxFrame, this.sendWindow, stream.window);
        if (size <= 0 && stream.pending.length > 0) break;
        const chunk = stream.pending.subarray(0, size);
        stream.pending = stream.pending.subarray(size);
        this.sendWindow -= size;
        stream.window -= size;
        stream.ended = stream.pending.length === 0;
        this.write(frame(DATA, stream.ended ? END_STREAM : 0, stream.id, chunk));
      }
    }
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.closed = error;
    for (const stream of this.streams.values()) stream.reject(error);
    this.streams.clear();
  }

  private onData(chunk: Uint8Array): void {
    this.buffer = this.buffer.length === 0 ? chunk : concat([this.buffer, chunk]);
    try {
      while (this.buffer.length >= 9) {
        const length = (this.buffer[0]! << 16) | readUint16(this.buffer, 1);
        if (this.buffer.length < 9 + length) break;
        const type = this.buffer[3]!;
        const flags = this.buffer[4]!;
        const id = readUint32(this.buffer, 5) & MAX_WINDOW;
        const payload = this.buffer.subarray(9, 9 + length);
        this.buffer = this.buffer.subarray(9 + length);
        this.onFrame(type, flags, id, payload);
      }
    } catch (error) {
      this.fail(new StreamError(`HTTP/2 protocol error: ${(error as Error).message}`));
      this.channel.close();
    }
  }

  private onFrame(type: number, flags: number, id: number, payload: Uint8Array): void {
    if (this.headerBlock && type !== CONTINUATION) throw new Error('header block interrupted');
    switch (type) {
      case DATA: {
        const stream = this.streams.get(id);
        stream?.data.push(unpad(payload, flags));
        // Keep the connection's window open (streams' windows start at the maximum).
        this.received += payload.length;
        if (this.received >= 1 << 30) {
          this.write(windowUpdate(0, this.received));
          this.received = 0;
        }
        if (flags & END_STREAM) this.finish(id);
        break;
      }
      case HEADERS: {
        let block = unpad(payload, flags);
        if (flags & PRIORITY) block = block.subarray(5);
        this.headerBlock = { id, endStream: (flags & END_STREAM) !== 0, parts: [block] };
        if (flags & END_HEADERS) this.endHeaders();
        break;
      }
      case CONTINUATION:
        if (!this.headerBlock || this.headerBlock.id !== id) throw new Error('unexpected CONTINUATION');
        this.headerBlock.parts.push(payload);
        if (flags & END_HEADERS) this.endHeaders();
        break;
      case RST_STREAM: {
        const stream = this.streams.get(id);
        if (!stream) break;
        this.streams.delete(id);
        // A status already received says more than the reset.
        if (stream.headers.has('grpc-status')) stream.resolve({ headers: stream.headers, data: concat(stream.data) });
        else stream.reject(new StreamError(`stream reset by the server (HTTP/2 error ${readUint32(payload, 0)})`));
        break;
      }
      case SETTINGS:
        if (flags & ACK) break;
        for (let i = 0; i + 6 <= payload.length; i += 6) {
          const setting = readUint16(payload, i);
          const value = readUint32(payload, i + 2);
          if (setting === 0x4) {
            for (const stream of this.streams.values()) stream.window += value - this.peerInitialWindow;
            this.peerInitialWindow = value;
          } else if (setting === 0x5) this.peerMaxFrame = value;
        }
        this.write(frame(SETTINGS, ACK, 0, EMPTY));
        this.flush();
        break;
      case PING:
        if (!(flags & ACK)) this.write(frame(PING, ACK, 0, payload));
        break;
      case GOAWAY: {
        const last = readUint32(payload, 0) & MAX_WINDOW;
        for (const [streamId, stream] of this.streams) {
          if (streamId > last) {
            this.streams.delete(streamId);
            stream.reject(new StreamError('the server is going away'));
          }
        }
        break;
      }
      case WINDOW_UPDATE: {
        const increment = readUint32(payload, 0) & MAX_WINDOW;
        if (id === 0) this.sendWindow += increment;
        else {
          const stream = this.streams.get(id);
          if (stream) stream.window += increment;
        }
        this.flush();
        break;
      }
      default:
      // PRIORITY, PUSH_PROMISE (disabled), unknown extensions: nothing to do
    }
  }

  private endHeaders(): void {
    const { id, endStream, parts } = this.headerBlock!;
    this.headerBlock = undefined;
    // Decoded even for an unknown stream: the decoder's table must follow the server's.
    const fields = this.decoder.decode(concat(parts));
    const stream = this.streams.get(id);
    if (!stream) return;
    for (const [name, value] of fields) stream.headers.set(name, value);
    if (endStream) this.finish(id);
  }

  /** The server ended the stream: the response is complete. */
  private finish(id: number): void {
    const stream = this.streams.get(id);
    if (!stream) return;
    this.streams.delete(id);
    if (!stream.ended) {
      // Answered before reading all of it (a message it refuses): stop sending.
      stream.ended = true;
      this.write(frame(RST_STREAM, 0, id, uint32(CANCEL)));
    }
    stream.resolve({ headers: stream.headers, data: concat(stream.data) });
  }
}

function frame(type: number, flags: number, id: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(9 + payload.length);
  out.set([payload.length >>> 16, (payload.length >>> 8) & 0xff, payload.length & 0xff, type, flags]);
  out.set(uint32(id), 5);
  out.set(payload, 9);
  return out;
}

function windowUpdate(id: number, increment: number): Uint8Array {
  return frame(WINDOW_UPDATE, 0, id, uint32(increment));
}

function unpad(payload: Uint8Array, flags: number): Uint8Array {
  if (!(flags & PADDED)) return payload;
  const padding = payload[0]!;
  return payload.subarray(1, payload.length - padding);
}
