import type { HeaderElement, ItlFile, ItlLayout } from './itlTypes.ts';
import { HeaderTag } from './tags.ts';

function tlvSize(element: ItlLayout['header'][number]): number {
  if (element.kind === 'padding') return 1;
  if (element.kind === 'group') return 3;
  return 3 + element.value.length;
}

/**
 * Writes a layout as bytes, element by element, exactly as given (lengths in the layout's
 * HEADERLENGTH and RECORDLENGTH values are the builder's business). Pure.
 */
export function encodeItl(layout: ItlLayout): Uint8Array {
  let size = layout.header.reduce((sum, e) => sum + tlvSize(e), 0);
  for (const record of layout.records) size += record.reduce((sum, e) => sum + 3 + e.value.length, 0);
  const out = new Uint8Array(size);
  let pos = 0;
  const writeTlv = (tag: number, length: number, value?: Uint8Array) => {
    out[pos] = tag;
    out[pos + 1] = length >> 8;
    out[pos + 2] = length & 0xff;
    pos += 3;
    if (value) {
      out.set(value, pos);
      pos += value.length;
    }
  };
  for (const e of layout.header) {
    if (e.kind === 'padding') out[pos++] = HeaderTag.PADDING;
    else if (e.kind === 'group') writeTlv(e.tag, e.length);
    else writeTlv(e.tag, e.value.length, e.value);
  }
  for (const record of layout.records) for (const e of record) writeTlv(e.tag, e.value.length, e.value);
  return out;
}

function stripOffset(e: HeaderElement): ItlLayout['header'][number] {
  if (e.kind === 'padding') return { kind: 'padding' };
  if (e.kind === 'group') return { kind: 'group', tag: e.tag, length: e.length };
  return { kind: 'field', tag: e.tag, value: e.value };
}

/** The layout of a decoded file (so that `encodeItl(layoutOf(decodeItl(f)))` gives `f` back). Pure. */
export function layoutOf(file: ItlFile): ItlLayout {
  return {
    header: [
      { kind: 'field', tag: HeaderTag.VERSION, value: versionBytes(file.version) },
      { kind: 'field', tag: HeaderTag.HEADER_LENGTH, value: u16(file.headerLength) },
      ...file.header.map(stripOffset),
    ],
    records: file.records.map((r) => r.elements.map((e) => ({ tag: e.tag, value: e.value }))),
  };
}

/** Two bytes, big-endian. Pure. */
export function u16(value: number): Uint8Array {
  return Uint8Array.of(value >> 8, value & 0xff);
}

/** A `major.minor` version as two bytes. Pure. */
export function versionBytes(version: string): Uint8Array {
  const [major, minor] = version.split('.').map(Number);
  return Uint8Array.of(major ?? 0, minor ?? 0);
}

/** The bytes a signature covers: the whole file without its SIGNATURE element. Pure. */
export function signedBytes(bytes: Uint8Array, file: Pick<ItlFile, 'signatureOffset' | 'signature'>): Uint8Array {
  const end = file.signatureOffset + 3 + file.signature.length;
  const out = new Uint8Array(bytes.length - (end - file.signatureOffset));
  out.set(bytes.subarray(0, file.signatureOffset), 0);
  out.set(bytes.subarray(end), file.signatureOffset);
  return out;
}
