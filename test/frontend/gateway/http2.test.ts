// HPACK (RFC 7541) as the HTTP/2 client decodes it: the RFC's own examples (Appendix C.4).
import { describe, expect, test } from 'vitest';
import { HpackDecoder, encodeHeaders, huffmanDecode } from '../../../src/frontend/gateway/hpack.js';

const hex = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');

describe('HPACK', () => {
  test('Huffman-coded strings (C.4.1)', () => {
    expect(Buffer.from(huffmanDecode(hex('f1e3 c2e5 f23a 6ba0 ab90 f4ff'))).toString()).toBe('www.example.com');
    expect(Buffer.from(huffmanDecode(hex('a8eb 1064 9cbf'))).toString()).toBe('no-cache');
  });

  test('requests with Huffman coding, sharing one dynamic table (C.4.1 to C.4.3)', () => {
    const decoder = new HpackDecoder();
    expect(decoder.decode(hex('8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff'))).toEqual([
      [':method', 'GET'],
      [':scheme', 'http'],
      [':path', '/'],
      [':authority', 'www.example.com'],
    ]);
    expect(decoder.decode(hex('8286 84be 5886 a8eb 1064 9cbf'))).toEqual([
      [':method', 'GET'],
      [':scheme', 'http'],
      [':path', '/'],
      [':authority', 'www.example.com'],
      ['cache-control', 'no-cache'],
    ]);
    expect(decoder.decode(hex('8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf'))).toEqual([
      [':method', 'GET'],
      [':scheme', 'https'],
      [':path', '/index.html'],
      [':authority', 'www.example.com'],
      ['custom-key', 'custom-value'],
    ]);
  });

  test('what the client sends decodes back (literals without indexing, long values)', () => {
    const headers: [string, string][] = [
      [':path', '/moby.buildkit.v1.frontend.LLBBridge/Solve'],
      ['x', 'y'.repeat(300)],
    ];
    expect(new HpackDecoder().decode(encodeHeaders(headers))).toEqual(headers);
  });

  test('bad padding is refused', () => {
    expect(() => huffmanDecode(hex('f1e3 c2e5 f23a 6ba0 ab90 f400'))).toThrow();
  });
});
