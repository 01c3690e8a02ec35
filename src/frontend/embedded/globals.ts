/**
 * What the engine's dependencies expect of a Node or browser global scope and the embedded engine
 * lacks: magic-string makes a TextDecoder when it loads (it decodes source-map text with it), and
 * dockerfile-ast encodes a character with `Buffer.from` to look for a byte order mark. Imported
 * first by the embedded entry, so that it runs before them.
 */
import { decodeUtf8, encodeUtf8 } from './utf8.js';

const scope = globalThis as Record<string, unknown>;
scope.TextDecoder ??= class {
  decode(bytes: Uint8Array = new Uint8Array(0)): string {
    return decodeUtf8(bytes, false);
  }
};
scope.Buffer ??= { from: (text: string) => encodeUtf8(text) };
