/** HPACK (RFC 7541), the header compression of HTTP/2: what the gateway client needs of it. */
import { concat } from './bytes.js';
import { decodeUtf8, encodeUtf8 } from '../../core/parse/utf8.js';

/** Literal header fields without indexing, names and values as plain strings (RFC 7541 6.2.2). */
export function encodeHeaders(headers: [string, string][]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [name, value] of headers) {
    parts.push(Uint8Array.of(0));
    for (const text of [name, value]) {
      const bytes = encodeUtf8(text);
      parts.push(encodeInteger(bytes.length, 7, 0), bytes);
    }
  }
  return concat(parts);
}

function encodeInteger(value: number, prefixBits: number, flags: number): Uint8Array {
  const max = (1 << prefixBits) - 1;
  if (value < max) return Uint8Array.of(flags | value);
  const out = [flags | max];
  for (value -= max; value >= 128; value = Math.floor(value / 128)) out.push((value % 128) + 128);
  out.push(value);
  return Uint8Array.from(out);
}

// The static table (RFC 7541, Appendix A): index 1 to 61.
const STATIC: [string, string][] = [
  [':authority', ''],
  [':method', 'GET'],
  [':method', 'POST'],
  [':path', '/'],
  [':path', '/index.html'],
  [':scheme', 'http'],
  [':scheme', 'https'],
  [':status', '200'],
  [':status', '204'],
  [':status', '206'],
  [':status', '304'],
  [':status', '400'],
  [':status', '404'],
  [':status', '500'],
  ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'],
  ['accept-language', ''],
  ['accept-ranges', ''],
  ['accept', ''],
  ['access-control-allow-origin', ''],
  ['age', ''],
  ['allow', ''],
  ['authorization', ''],
  ['cache-control', ''],
  ['content-disposition', ''],
  ['content-encoding', ''],
  ['content-language', ''],
  ['content-length', ''],
  ['content-location', ''],
  ['content-range', ''],
  ['content-type', ''],
  ['cookie', ''],
  ['date', ''],
  ['etag', ''],
  ['expect', ''],
  ['expires', ''],
  ['from', ''],
  ['host', ''],
  ['if-match', ''],
  ['if-modified-since', ''],
  ['if-none-match', ''],
  ['if-range', ''],
  ['if-unmodified-since', ''],
  ['last-modified', ''],
  ['link', ''],
  ['location', ''],
  ['max-forwards', ''],
  ['proxy-authenticate', ''],
  ['proxy-authorization', ''],
  ['range', ''],
  ['referer', ''],
  ['refresh', ''],
  ['retry-after', ''],
  ['server', ''],
  ['set-cookie', ''],
  ['strict-transport-security', ''],
  ['transfer-encoding', ''],
  ['user-agent', ''],
  ['vary', ''],
  ['via', ''],
  ['www-authenticate', ''],
];

/** HPACK decoding (RFC 7541 6): indexed fields, literals (indexed or not), table size updates. */
export class HpackDecoder {
  /** Newest first. */
  private readonly dynamic: [string, string][] = [];
  private size = 0;
  private maxSize = 4096;

  decode(block: Uint8Array): [string, string][] {
    const fields: [string, string][] = [];
    const cursor = { pos: 0 };
    while (cursor.pos < block.length) {
      const byte = block[cursor.pos]!;
      if (byte & 0x80) {
        fields.push(this.entry(decodeInteger(block, cursor, 7)));
      } else if (byte & 0x40) {
        const field = this.literal(block, cursor, 6);
        fields.push(field);
        this.add(field);
      } else if (byte & 0x20) {
        this.maxSize = decodeInteger(block, cursor, 5);
        this.evict(0);
      } else {
        fields.push(this.literal(block, cursor, 4));
      }
    }
    return fields;
  }

  private literal(block: Uint8Array, cursor: { pos: number }, prefixBits: number): [string, string] {
    const index = decodeInteger(block, cursor, prefixBits);
    const name = index === 0 ? decodeString(block, cursor) : this.entry(index)[0];
    return [name, decodeString(block, cursor)];
  }

  private entry(index: number): [string, string] {
    const field = index <= STATIC.length ? STATIC[index - 1] : this.dynamic[index - STATIC.length - 1];
    if (!field || index === 0) throw new Error(`HPACK index ${index} out of range`);
    return field;
  }

  private add(field: [string, string]): void {
    const size = entrySize(field[0], field[1]);
    this.evict(size);
    if (size > this.maxSize) return;
    this.dynamic.unshift(field);
    this.size += size;
  }

  /** Makes room for `incoming` bytes, oldest entries first. */
  private evict(incoming: number): void {
    while (this.dynamic.length > 0 && this.size + incoming > this.maxSize) {
      const [name, value] = this.dynamic.pop()!;
      this.size -= entrySize(name, value);
    }
  }
}

/** An entry's size in the table (RFC 7541 4.1): its octets plus 32. */
function entrySize(name: string, value: string): number {
  return encodeUtf8(name).length + encodeUtf8(value).length + 32;
}

function decodeInteger(block: Uint8Array, cursor: { pos: number }, prefixBits: number): number {
  const max = (1 << prefixBits) - 1;
  let value = block[cursor.pos++]! & max;
  if (value < max) return value;
  for (let shift = 0; ; shift += 7) {
    if (cursor.pos >= block.length) throw new Error('truncated HPACK integer');
    const byte = block[cursor.pos++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) return value;
  }
}

function decodeString(block: Uint8Array, cursor: { pos: number }): string {
  const huffman = (block[cursor.pos]! & 0x80) !== 0;
  const length = decodeInteger(block, cursor, 7);
  if (cursor.pos + length > block.length) throw new Error('truncated HPACK string');
  const bytes = block.subarray(cursor.pos, cursor.pos + length);
  cursor.pos += length;
  return decodeUtf8(huffman ? huffmanDecode(bytes) : bytes, false);
}

// The Huffman code of HPACK (RFC 7541, Appendix B): for each byte, its code and its length in bits.
// Lengths are characters: code point minus 48 ('5' is 5 bits, 'N' is 30).
const LENGTHS =
  '=GLLLLLLLHNLLNLLLLLLLLNLLLLLLLLL6::<=68;::8;8666555666666678?6<:' +
  '=67777777777777777777777878=C=>6?56565666577666567655677777?;>=L' +
  'DFDDFFFGFGGGGGHGHHFGHGGGGEFGFGGHFEDFFGGEGFFHEFGGEEFEGFGGDFFFGFFG' +
  'JJDCFGFIJJJKKJHICEJKKJKHEEJJLKKKDHDEFEEGFFIIHHJGJKJJKKKKKLKKKKKJ';
const CODES = [
  0x1ff8, 0x7fffd8, 0xfffffe2, 0xfffffe3, 0xfffffe4, 0xfffffe5, 0xfffffe6, 0xfffffe7, 0xfffffe8, 0xffffea, 0x3ffffffc,
  0xfffffe9, 0xfffffea, 0x3ffffffd, 0xfffffeb, 0xfffffec, 0xfffffed, 0xfffffee, 0xfffffef, 0xffffff0, 0xffffff1,
  0xffffff2, 0x3ffffffe, 0xffffff3, 0xffffff4, 0xffffff5, 0xffffff6, 0xffffff7, 0xffffff8, 0xffffff9, 0xffffffa,
  0xffffffb, 0x14, 0x3f8, 0x3f9, 0xffa, 0x1ff9, 0x15, 0xf8, 0x7fa, 0x3fa, 0x3fb, 0xf9, 0x7fb, 0xfa, 0x16, 0x17, 0x18,
  0x0, 0x1, 0x2, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x5c, 0xfb, 0x7ffc, 0x20, 0xffb, 0x3fc, 0x1ffa, 0x21, 0x5d,
  0x5e, 0x5f, 0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70,
  0x71, 0x72, 0xfc, 0x73, 0xfd, 0x1ffb, 0x7fff0, 0x1ffc, 0x3ffc, 0x22, 0x7ffd, 0x3, 0x23, 0x4, 0x24, 0x5, 0x25, 0x26,
  0x27, 0x6, 0x74, 0x75, 0x28, 0x29, 0x2a, 0x7, 0x2b, 0x76, 0x2c, 0x8, 0x9, 0x2d, 0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7ffe,
  0x7fc, 0x3ffd, 0x1ffd, 0xffffffc, 0xfffe6, 0x3fffd2, 0xfffe7, 0xfffe8, 0x3fffd3, 0x3fffd4, 0x3fffd5, 0x7fffd9,
  0x3fffd6, 0x7fffda, 0x7fffdb, 0x7fffdc, 0x7fffdd, 0x7fffde, 0xffffeb, 0x7fffdf, 0xffffec, 0xffffed, 0x3fffd7,
  0x7fffe0, 0xffffee, 0x7fffe1, 0x7fffe2, 0x7fffe3, 0x7fffe4, 0x1fffdc, 0x3fffd8, 0x7fffe5, 0x3fffd9, 0x7fffe6,
  0x7fffe7, 0xffffef, 0x3fffda, 0x1fffdd, 0xfffe9, 0x3fffdb, 0x3fffdc, 0x7fffe8, 0x7fffe9, 0x1fffde, 0x7fffea, 0x3fffdd,
  0x3fffde, 0xfffff0, 0x1fffdf, 0x3fffdf, 0x7fffeb, 0x7fffec, 0x1fffe0, 0x1fffe1, 0x3fffe0, 0x1fffe2, 0x7fffed,
  0x3fffe1, 0x7fffee, 0x7fffef, 0xfffea, 0x3fffe2, 0x3fffe3, 0x3fffe4, 0x7ffff0, 0x3fffe5, 0x3fffe6, 0x7ffff1,
  0x3ffffe0, 0x3ffffe1, 0xfffeb, 0x7fff1, 0x3fffe7, 0x7ffff2, 0x3fffe8, 0x1ffffec, 0x3ffffe2, 0x3ffffe3, 0x3ffffe4,
  0x7ffffde, 0x7ffffdf, 0x3ffffe5, 0xfffff1, 0x1ffffed, 0x7fff2, 0x1fffe3, 0x3ffffe6, 0x7ffffe0, 0x7ffffe1, 0x3ffffe7,
  0x7ffffe2, 0xfffff2, 0x1fffe4, 0x1fffe5, 0x3ffffe8, 0x3ffffe9, 0xffffffd, 0x7ffffe3, 0x7ffffe4, 0x7ffffe5, 0xfffec,
  0xfffff3, 0xfffed, 0x1fffe6, 0x3fffe9, 0x1fffe7, 0x1fffe8, 0x7ffff3, 0x3fffea, 0x3fffeb, 0x1ffffee, 0x1ffffef,
  0xfffff4, 0xfffff5, 0x3ffffea, 0x7ffff4, 0x3ffffeb, 0x7ffffe6, 0x3ffffec, 0x3ffffed, 0x7ffffe7, 0x7ffffe8, 0x7ffffe9,
  0x7ffffea, 0x7ffffeb, 0xffffffe, 0x7ffffec, 0x7ffffed, 0x7ffffee, 0x7ffffef, 0x7fffff0, 0x3ffffee,
];

/** The Huffman code as a binary tree: node i has children tree[2i] (bit 0) and tree[2i+1]; a leaf is -(symbol + 1). */
let tree: Int32Array | undefined;

function huffmanTree(): Int32Array {
  if (tree) return tree;
  const nodes = new Int32Array(2 * 512).fill(0);
  let count = 1;
  for (let symbol = 0; symbol < 256; symbol++) {
    const length = LENGTHS.charCodeAt(symbol) - 48;
    const code = CODES[symbol]!;
    let node = 0;
    for (let bit = length - 1; bit >= 0; bit--) {
      const slot = 2 * node + ((code >>> bit) & 1);
      if (bit === 0) nodes[slot] = -(symbol + 1);
      else {
        if (nodes[slot] === 0) nodes[slot] = count++;
        node = nodes[slot]!;
      }
    }
  }
  tree = nodes;
  return nodes;
}

export function huffmanDecode(bytes: Uint8Array): Uint8Array {
  const nodes = huffmanTree();
  const out: number[] = [];
  let node = 0;
  let depth = 0;
  let ones = true;
  for (const byte of bytes) {
    for (let bit = 7; bit >= 0; bit--) {
      const b = (byte >>> bit) & 1;
      const next = nodes[2 * node + b]!;
      depth++;
      ones &&= b === 1;
      if (next < 0) {
        out.push(-next - 1);
        node = 0;
        depth = 0;
        ones = true;
      } else if (next === 0) {
        throw new Error('invalid Huffman code');
      } else node = next;
    }
  }
  // What is left is padding: fewer than 8 bits, all ones (the start of EOS).
  if (depth > 7 || !ones) throw new Error('invalid Huffman padding');
  return Uint8Array.from(out);
}
