/**
 * UTF-8 by hand, the same on every runtime: the embedded frontend's engine has neither
 * TextEncoder/TextDecoder nor Buffer (and a strict TextDecoder costs Node's CLI about 3 ms of
 * start-up). The strict decoder accepts what Node's `buffer.isUtf8` accepts (no overlong forms, no
 * surrogates, nothing over U+10FFFF) and keeps a byte order mark, as BuildKit reads a Dockerfile
 * (so an unchanged file is written back byte for byte).
 */

const REPLACEMENT = 0xfffd;
/** Code units per String.fromCharCode call: bounded so the argument list stays small. */
const CHUNK = 8192;

/** Encodes text as UTF-8; a lone surrogate becomes U+FFFD, as TextEncoder does. */
export function encodeUtf8(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      out[n++] = code;
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        code = REPLACEMENT;
      }
    }
    if (code < 0x800) {
      out[n++] = 0xc0 | (code >> 6);
    } else if (code < 0x10000) {
      out[n++] = 0xe0 | (code >> 12);
      out[n++] = 0x80 | ((code >> 6) & 0x3f);
    } else {
      out[n++] = 0xf0 | (code >> 18);
      out[n++] = 0x80 | ((code >> 12) & 0x3f);
      out[n++] = 0x80 | ((code >> 6) & 0x3f);
    }
    out[n++] = 0x80 | (code & 0x3f);
  }
  return out.subarray(0, n);
}

/**
 * Decodes UTF-8. With `strict`, undefined at the first invalid sequence; otherwise each maximal
 * invalid subpart becomes U+FFFD (TextDecoder's behaviour).
 */
export function decodeUtf8(bytes: Uint8Array, strict: true): string | undefined;
export function decodeUtf8(bytes: Uint8Array, strict: false): string;
export function decodeUtf8(bytes: Uint8Array, strict: boolean): string | undefined {
  const parts: string[] = [];
  const units: number[] = [];
  const flush = () => {
    parts.push(String.fromCharCode(...units));
    units.length = 0;
  };
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    const [length, min, max] = sequenceOf(lead);
    let code = length === 1 ? lead : lead & (0x7f >> length);
    let valid = length > 0;
    let j = 1;
    for (; valid && j < length; j++) {
      const byte = bytes[i + j] ?? -1;
      if ((j === 1 && (byte < min || byte > max)) || byte < 0x80 || byte > 0xbf) valid = false;
      else code = (code << 6) | (byte & 0x3f);
    }
    if (!valid) {
      if (strict) return undefined;
      units.push(REPLACEMENT);
      i += Math.max(1, j - 1);
    } else {
      if (code >= 0x10000) units.push(0xd800 + ((code - 0x10000) >> 10), 0xdc00 + ((code - 0x10000) & 0x3ff));
      else units.push(code);
      i += length;
    }
    if (units.length >= CHUNK) flush();
  }
  flush();
  return parts.join('');
}

/** A lead byte's sequence length and the range its second byte must fall in (0 = invalid lead). */
function sequenceOf(lead: number): [length: number, min: number, max: number] {
  if (lead < 0x80) return [1, 0, 0];
  if (lead < 0xc2) return [0, 0, 0];
  if (lead < 0xe0) return [2, 0x80, 0xbf];
  if (lead === 0xe0) return [3, 0xa0, 0xbf];
  if (lead === 0xed) return [3, 0x80, 0x9f];
  if (lead < 0xf0) return [3, 0x80, 0xbf];
  if (lead === 0xf0) return [4, 0x90, 0xbf];
  if (lead < 0xf4) return [4, 0x80, 0xbf];
  if (lead === 0xf4) return [4, 0x80, 0x8f];
  return [0, 0, 0];
}
