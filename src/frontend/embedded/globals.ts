/**
 * What the engine's dependencies expect of a Node or browser global scope and the embedded engine
 * lacks: magic-string makes a TextDecoder when it loads (it decodes source-map text with it), and
 * dockerfile-ast encodes a character with `Buffer.from` to look for a byte order mark. Imported
 * first by the embedded entry, so that it runs before them. And a console that keeps off stdout.
 */
import * as std from 'qjs:std';
import { decodeUtf8, encodeUtf8 } from '../../core/parse/utf8.js';

const scope = globalThis as Record<string, unknown>;
scope.TextDecoder ??= class {
  decode(bytes: Uint8Array = new Uint8Array(0)): string {
    return decodeUtf8(bytes, false);
  }
};
scope.Buffer ??= { from: (text: string) => encodeUtf8(text) };

// stdout carries the gRPC stream, and quickjs-ng's console has only `log`, to stdout: every
// console method writes to stderr (the daemon's log).
const toStderr = (...args: unknown[]) => std.err.puts(`${args.map(String).join(' ')}\n`);
scope.console = { log: toStderr, info: toStderr, warn: toStderr, error: toStderr, debug: toStderr };
