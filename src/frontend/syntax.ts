/**
 * The `# syntax=` directive, found as the Dockerfile frontend finds it
 * (frontend/dockerfile/parser/directives.go, DetectSyntax, BuildKit v0.25): among the parser
 * directives at the top of the file (after a byte order mark and a `#!` line), then as a
 * `// syntax=` directive, then as the `syntax` key of a file that is one JSON object.
 */

import { parserDirectives } from '../core/parse/parser-directives.js';
import { decodeUtf8 } from '../core/parse/utf8.js';

/** `ref`: the image (first word); `cmdline`: the directive's whole value, as BuildKit passes it. */
export interface SyntaxDirective {
  ref: string;
  cmdline: string;
}

const HASH = 0x23;
const SLASH = 0x2f;

export function detectSyntax(data: Uint8Array): SyntaxDirective | undefined {
  let start = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
  if (data[start] === HASH && data[start + 1] === 0x21) {
    const newline = data.indexOf(0x0a, start);
    start = newline === -1 ? data.length : newline + 1;
  }
  // Only the leading comment lines can hold directives: the rest is not decoded.
  let end = start;
  while (end < data.length && (data[end] === HASH || data[end] === SLASH)) {
    const newline = data.indexOf(0x0a, end);
    end = newline === -1 ? data.length : newline + 1;
  }
  const head = decodeUtf8(data.subarray(start, end), false);
  const value = fromDirectives(head, '#') ?? fromDirectives(head, '//') ?? fromJson(data, start);
  if (value === undefined) return undefined;
  const space = value.indexOf(' ');
  return { ref: space === -1 ? value : value.slice(0, space), cmdline: value };
}

/** A repeated directive ends them there (DetectSyntax ignores the error and keeps the earlier ones). */
function fromDirectives(text: string, comment: string): string | undefined {
  return parserDirectives(text, { comment }).directives.find((d) => d.name === 'syntax')?.value;
}

function fromJson(data: Uint8Array, start: number): string | undefined {
  let first = start;
  while (data[first] === 0x20 || data[first] === 0x09 || data[first] === 0x0a || data[first] === 0x0d) first++;
  if (data[first] !== 0x7b) return undefined;
  try {
    const value: unknown = JSON.parse(decodeUtf8(data.subarray(start), false));
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const syntax = (value as Record<string, unknown>).syntax;
      if (typeof syntax === 'string') return syntax;
    }
  } catch {
    // not JSON
  }
  return undefined;
}
