import { isUtf8 } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { decodeUtf8 } from '../core/parse/utf8.js';
import { describeFsError, InputError, NotDockerfileError } from './errors.js';

/** Reads a Dockerfile as BuildKit does: UTF-8 text (a UTF-8 BOM is kept as part of the text). */
export function decodeDockerfile(display: string, bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new NotDockerfileError(display, 'UTF-16 text: Dockerfiles are UTF-8');
  }
  const text = decodeUtf8(bytes, true);
  if (text === undefined) throw new NotDockerfileError(display, `invalid UTF-8 at line ${lineOfInvalidByte(bytes)}`);
  return text;
}

export async function readDockerfile(display: string, file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new InputError(display, describeFsError(error));
  }
  return decodeDockerfile(display, bytes);
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return decodeDockerfile('-', Buffer.concat(chunks));
}

function lineOfInvalidByte(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      if (!isUtf8(bytes.subarray(start, i))) return line;
      line++;
      start = i + 1;
    }
  }
  return line;
}
