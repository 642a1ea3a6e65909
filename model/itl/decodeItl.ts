import { ByteReader, cString, hex, uint } from './byteReader.ts';
import { ItlFormatError, type HeaderElement, type ItlFile, type ItlRecord, type RecordElement } from './itlTypes.ts';
import { CONTAINER_TAGS, FIXED_HEADER_LENGTHS, FIXED_RECORD_LENGTHS, HeaderTag, RecordTag } from './tags.ts';

const KNOWN_HEADER_TAGS: ReadonlySet<number> = new Set(Object.values(HeaderTag));
const KNOWN_RECORD_TAGS: ReadonlySet<number> = new Set(Object.values(RecordTag));

function expectTag(reader: ByteReader, tag: number, end: number, what: string): number {
  const at = reader.pos;
  const found = reader.u8(end, what);
  if (found !== tag) throw new ItlFormatError(at, `expected tag ${tag} (${what}), found ${found}`);
  const length = reader.u16(end, what);
  if (length !== 2) throw new ItlFormatError(at + 1, `${what} must have length 2, found ${length}`);
  return uint(reader.take(2, end, what));
}

function readHeaderElement(reader: ByteReader, end: number): HeaderElement {
  const offset = reader.pos;
  const tag = reader.u8(end, 'header tag');
  if (tag === HeaderTag.PADDING) return { kind: 'padding', offset };
  if (!KNOWN_HEADER_TAGS.has(tag)) throw new ItlFormatError(offset, `unknown header tag ${tag}`);
  const length = reader.u16(end, `length of header tag ${tag}`);
  if (CONTAINER_TAGS.has(tag)) return { kind: 'group', tag, offset, length };
  const fixed = FIXED_HEADER_LENGTHS[tag];
  if (fixed !== undefined && fixed !== length)
    throw new ItlFormatError(offset + 1, `header tag ${tag} must have length ${fixed}, found ${length}`);
  return { kind: 'field', tag, offset, value: reader.take(length, end, `value of header tag ${tag}`) };
}

function headerFields(header: HeaderElement[]): Map<number, { offset: number; value: Uint8Array }> {
  const fields = new Map<number, { offset: number; value: Uint8Array }>();
  for (const e of header) {
    if (e.kind !== 'field') continue;
    if (fields.has(e.tag)) throw new ItlFormatError(e.offset, `header tag ${e.tag} appears twice`);
    fields.set(e.tag, e);
  }
  return fields;
}

function required(
  fields: Map<number, { offset: number; value: Uint8Array }>,
  tag: number,
  name: string,
  headerLength: number,
) {
  const field = fields.get(tag);
  if (!field) throw new ItlFormatError(headerLength, `header has no ${name} (tag ${tag})`);
  return field;
}

function readRecordElement(reader: ByteReader, end: number): RecordElement {
  const offset = reader.pos;
  const tag = reader.u8(end, 'record tag');
  if (!KNOWN_RECORD_TAGS.has(tag) || tag === RecordTag.RECORD_LENGTH)
    throw new ItlFormatError(offset, `unexpected record tag ${tag}`);
  const length = reader.u16(end, `length of record tag ${tag}`);
  const fixed = FIXED_RECORD_LENGTHS[tag];
  if (fixed !== undefined && fixed !== length)
    throw new ItlFormatError(offset + 1, `record tag ${tag} must have length ${fixed}, found ${length}`);
  return { tag, offset, value: reader.take(length, end, `value of record tag ${tag}`) };
}

function interpretRecord(offset: number, length: number, elements: RecordElement[]): ItlRecord {
  const record: ItlRecord = { offset, length, elements, role: -1, subjectName: '', issuerName: '', serial: '' };
  for (const { tag, value } of elements) {
    if (tag === RecordTag.DNS_NAME) record.dnsName = cString(value);
    else if (tag === RecordTag.SUBJECT_NAME) record.subjectName = cString(value);
    else if (tag === RecordTag.FUNCTION) record.role = uint(value);
    else if (tag === RecordTag.ISSUER_NAME) record.issuerName = cString(value);
    else if (tag === RecordTag.SERIAL_NUMBER) record.serial = hex(value);
    else if (tag === RecordTag.PUBLIC_KEY) record.publicKey = value;
    else if (tag === RecordTag.SIGNATURE) record.signature = value;
    else if (tag === RecordTag.CERTIFICATE) record.certificate = value;
    else if (tag === RecordTag.CERTIFICATE_HASH) record.certHash = value;
    else if (tag === RecordTag.HASH_ALGORITHM) record.hashAlgorithm = uint(value);
    else if (tag === RecordTag.IP_ADDRESS) record.ipAddress = value;
  }
  if (record.role === -1) throw new ItlFormatError(offset, 'record has no FUNCTION (tag 4)');
  return record;
}

function readRecord(reader: ByteReader): ItlRecord {
  const offset = reader.pos;
  const fileEnd = reader.bytes.length;
  const recordLength = expectTag(reader, RecordTag.RECORD_LENGTH, fileEnd, 'RECORDLENGTH');
  const end = offset + recordLength;
  if (recordLength < 5 || end > fileEnd)
    throw new ItlFormatError(
      offset + 3,
      `record length ${recordLength} does not fit the ${fileEnd - offset} bytes left`,
    );
  const elements: RecordElement[] = [
    { tag: RecordTag.RECORD_LENGTH, offset, value: reader.bytes.subarray(offset + 3, offset + 5) },
  ];
  while (reader.pos < end) elements.push(readRecordElement(reader, end));
  return interpretRecord(offset, recordLength, elements);
}

/**
 * Decodes a file in the CUCM TLV format (ITLFile.tlv, CTLFile.tlv, and the files other tools
 * write). Any input gives either a file or an ItlFormatError with the byte offset. Pure.
 */
export function decodeItl(bytes: Uint8Array): ItlFile {
  const reader = new ByteReader(bytes);
  const versionValue = expectTag(reader, HeaderTag.VERSION, bytes.length, 'VERSION');
  const headerLength = expectTag(reader, HeaderTag.HEADER_LENGTH, bytes.length, 'HEADERLENGTH');
  if (headerLength < 10 || headerLength > bytes.length)
    throw new ItlFormatError(8, `header length ${headerLength} does not fit a file of ${bytes.length} bytes`);
  const header: HeaderElement[] = [];
  while (reader.pos < headerLength) header.push(readHeaderElement(reader, headerLength));
  const fields = headerFields(header);
  const signature = required(fields, HeaderTag.SIGNATURE, 'SIGNATURE', headerLength);
  const digest = required(fields, HeaderTag.DIGEST_ALGORITHM, 'DIGESTALGORITHM', headerLength);
  const get = (tag: number) => fields.get(tag)?.value;
  const records: ItlRecord[] = [];
  while (reader.pos < bytes.length) records.push(readRecord(reader));
  const optionalNumber = (tag: number) => (get(tag) ? uint(get(tag)!) : undefined);
  const signerVersion = get(HeaderTag.SIGNER_VERSION);
  return {
    length: bytes.length,
    version: `${versionValue >> 8}.${versionValue & 0xff}`,
    headerLength,
    ...(signerVersion ? { signerVersion: `${signerVersion[0]}.${signerVersion[1]}` } : {}),
    signerName: cString(required(fields, HeaderTag.SIGNER_NAME, 'SIGNERNAME', headerLength).value),
    caName: cString(required(fields, HeaderTag.CA_NAME, 'CANAME', headerLength).value),
    serial: hex(required(fields, HeaderTag.SERIAL_NUMBER, 'SERIALNUMBER', headerLength).value),
    digestAlgorithm: uint(digest.value),
    signatureAlgorithm: optionalNumber(HeaderTag.SIGNATURE_ALGORITHM),
    signatureModulus: optionalNumber(HeaderTag.SIGNATURE_MODULUS),
    signature: signature.value,
    signatureOffset: signature.offset,
    ...(get(HeaderTag.FILENAME) ? { filename: cString(get(HeaderTag.FILENAME)!) } : {}),
    timestamp: optionalNumber(HeaderTag.TIMESTAMP),
    header,
    records,
  };
}
