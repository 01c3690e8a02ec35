/**
 * Protocol Buffers wire format, just enough for the messages in proto/: hand-written so that the
 * frontend starts without loading or compiling any schema.
 */

import { concat, EMPTY } from './bytes.js';
import { MapEntry } from './fields.js';
import { decodeUtf8, encodeUtf8 } from '../../core/parse/utf8.js';

const VARINT = 0;
const LEN = 2;

/** Builds one message. Zero and empty values are left out, as proto3 encoders do. */
export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];

  /** uint, int32 or int64 field; negative numbers take ten bytes, as in every protobuf encoder. */
  int(field: number, value: number): this {
    if (value !== 0) {
      this.tag(field, VARINT);
      this.varint(BigInt.asUintN(64, BigInt(value)));
    }
    return this;
  }

  bool(field: number, value: boolean): this {
    return this.int(field, value ? 1 : 0);
  }

  string(field: number, value: string): this {
    return this.bytes(field, encodeUtf8(value));
  }

  bytes(field: number, value: Uint8Array): this {
    if (value.length > 0) this.lengthDelimited(field, value);
    return this;
  }

  /** An embedded message, written even when empty: its presence can carry meaning. */
  message(field: number, value: Uint8Array | ProtoWriter): this {
    return this.lengthDelimited(field, value instanceof ProtoWriter ? value.finish() : value);
  }

  /** A map field; entries are sorted by key so the same map always gives the same bytes. */
  map<V>(field: number, entries: Iterable<[string, V]>, writeValue: (entry: ProtoWriter, value: V) => void): this {
    for (const [key, value] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const entry = new ProtoWriter().string(MapEntry.key, key);
      writeValue(entry, value);
      this.message(field, entry);
    }
    return this;
  }

  finish(): Uint8Array {
    return concat(this.parts);
  }

  private lengthDelimited(field: number, value: Uint8Array): this {
    this.tag(field, LEN);
    this.varint(BigInt(value.length));
    this.parts.push(value);
    return this;
  }

  private tag(field: number, wireType: number): void {
    this.varint(BigInt((field << 3) | wireType));
  }

  private varint(value: bigint): void {
    const out: number[] = [];
    while (value > 0x7fn) {
      out.push(Number(value & 0x7fn) | 0x80);
      value >>= 7n;
    }
    out.push(Number(value));
    this.parts.push(Uint8Array.from(out));
  }
}

/** The bytes of every length-delimited occurrence of `field`. */
export function bytesFields(fields: RawField[], field: number): Uint8Array[] {
  return fields.flatMap((f) => (f.field === field && f.value ? [f.value] : []));
}

/** The last occurrence of a bytes field (proto3: last one wins), or empty. */
export function bytesField(fields: RawField[], field: number): Uint8Array {
  return bytesFields(fields, field).at(-1) ?? EMPTY;
}

/** The last occurrence of a string field (proto3: last one wins), or ''. */
export function stringField(fields: RawField[], field: number): string {
  return decodeUtf8(bytesField(fields, field), false);
}

/** The last occurrence of a varint field, or 0. */
export function intField(fields: RawField[], field: number): bigint {
  let value = 0n;
  for (const f of fields) if (f.field === field && f.number !== undefined) value = f.number;
  return value;
}

/** A length-delimited field: tag, length and value. */
export function lengthDelimited(field: number, value: Uint8Array): Uint8Array {
  return new ProtoWriter().message(field, value).finish();
}

/** A map<string, V> field, V read from the entry's value bytes. */
export function mapField<V>(fields: RawField[], field: number, readValue: (entry: RawField[]) => V): Map<string, V> {
  const map = new Map<string, V>();
  for (const entry of bytesFields(fields, field)) {
    const entryFields = readFields(entry);
    map.set(stringField(entryFields, MapEntry.key), readValue(entryFields));
  }
  return map;
}

/** One field with its tag, exactly as it was on the wire. Fixed-width fields have neither value. */
export interface RawField {
  field: number;
  /** Tag and value, to re-encode the message unchanged. */
  raw: Uint8Array;
  /** The value of a length-delimited field. */
  value: Uint8Array | undefined;
  /** The value of a varint field. */
  number: bigint | undefined;
}

/** Splits a message into its fields, in wire order. */
export function readFields(message: Uint8Array): RawField[] {
  const fields: RawField[] = [];
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (pos >= message.length) throw new Error('truncated protobuf message');
      const byte = message[pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
    }
  };
  while (pos < message.length) {
    const start = pos;
    const tag = Number(varint());
    const field = tag >>> 3;
    let value: Uint8Array | undefined;
    let number: bigint | undefined;
    switch (tag & 7) {
      case 0:
        number = varint();
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const length = Number(varint());
        if (pos + length > message.length) throw new Error('truncated protobuf message');
        value = message.subarray(pos, pos + length);
        pos += length;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        throw new Error(`unsupported protobuf wire type ${tag & 7}`);
    }
    if (pos > message.length) throw new Error('truncated protobuf message');
    fields.push({ field, raw: message.subarray(start, pos), value, number });
  }
  return fields;
}
