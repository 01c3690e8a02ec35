/** The hand-written UTF-8 of the embedded frontend against Node's encoder, decoder and isUtf8. */
import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, encodeUtf8 } from '../../src/core/parse/utf8.js';

const bytesLike = fc.oneof(
  fc.uint8Array({ maxLength: 64 }),
  fc.string({ unit: 'grapheme', maxLength: 32 }).map((s) => new TextEncoder().encode(s)),
  // valid text with one byte changed: truncated, overlong and surrogate sequences
  fc
    .tuple(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }), fc.nat(), fc.integer({ min: 0, max: 255 }))
    .map(([s, at, byte]) => {
      const bytes = new TextEncoder().encode(s);
      bytes[at % bytes.length] = byte;
      return bytes;
    }),
);

describe('UTF-8 by hand', { timeout: 60_000 }, () => {
  it('encodes as TextEncoder does, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (text) => {
        expect([...encodeUtf8(text)]).toEqual([...new TextEncoder().encode(text)]);
      }),
      { numRuns: 500 },
    );
    for (const text of ['a\ud800', '\udc00b', '\ud83d\ude00\ud83d', 'é€'])
      expect([...encodeUtf8(text)]).toEqual([...new TextEncoder().encode(text)]);
  });

  it('strict decoding accepts exactly what isUtf8 accepts, and keeps a BOM', () => {
    const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    fc.assert(
      fc.property(bytesLike, (bytes) => {
        expect(decodeUtf8(bytes, true)).toBe(isUtf8(bytes) ? strict.decode(bytes) : undefined);
      }),
      { numRuns: 1000 },
    );
    expect(decodeUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]), true)).toBe('\ufeffA');
    expect(decodeUtf8(new Uint8Array([0xed, 0xa0, 0x80]), true)).toBeUndefined();
    expect(decodeUtf8(new Uint8Array([0xc0, 0xaf]), true)).toBeUndefined();
    expect(decodeUtf8(new Uint8Array([0xf4, 0x90, 0x80, 0x80]), true)).toBeUndefined();
  });

  it('lossy decoding replaces invalid subparts as TextDecoder does', () => {
    const lossy = new TextDecoder('utf-8', { ignoreBOM: true });
    fc.assert(
      fc.property(bytesLike, (bytes) => {
        expect(decodeUtf8(bytes, false)).toBe(lossy.decode(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it('decodes text longer than one chunk of code units', () => {
    const text = 'añ€😀'.repeat(10_000);
    expect(decodeUtf8(encodeUtf8(text), true)).toBe(text);
  });
});
