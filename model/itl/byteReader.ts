import { ItlFormatError } from './itlTypes.ts';

/** A bounds-checked cursor over bytes: every read is checked against an end, so no length field can reach past the input. */
export class ByteReader {
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
  ) {}

  /** Fails with the current offset unless `count` bytes remain before `end`. */
  need(count: number, end: number, what: string): void {
    if (this.pos + count > end) {
      throw new ItlFormatError(
        this.pos,
        `${what} needs ${count} byte(s) but only ${Math.max(0, end - this.pos)} remain`,
      );
    }
  }

  u8(end: number, what: string): number {
    this.need(1, end, what);
    return this.bytes[this.pos++]!;
  }

  u16(end: number, what: string): number {
    this.need(2, end, what);
    const value = (this.bytes[this.pos]! << 8) | this.bytes[this.pos + 1]!;
    this.pos += 2;
    return value;
  }

  /** A view (no copy) of the next `length` bytes. */
  take(length: number, end: number, what: string): Uint8Array {
    this.need(length, end, what);
    const value = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return value;
  }
}

/** Reads a NUL-terminated (or plain) UTF-8 string value. Pure. */
export function cString(value: Uint8Array): string {
  const end = value.indexOf(0);
  return Buffer.from(end === -1 ? value : value.subarray(0, end)).toString('utf8');
}

/** Big-endian unsigned integer of a short value. Pure. */
export function uint(value: Uint8Array): number {
  let n = 0;
  for (const b of value) n = n * 256 + b;
  return n;
}

/** Lowercase hex of bytes. Pure. */
export function hex(value: Uint8Array): string {
  return Buffer.from(value).toString('hex');
}
