import { hashHex } from '../crypto/pkcs1.ts';
import { cString, uint } from './byteReader.ts';
import type { HeaderElement, ItlFile, ItlRecord, RecordElement } from './itlTypes.ts';
import {
  colonHex,
  cucmDate,
  fileKind,
  hashAlgorithmName,
  ipAddressText,
  roleName,
  signatureDump,
  signerIndexOf,
  spacedHex,
  verdictReason,
  type FileKind,
} from './showItlFields.ts';
import { HeaderTag, RecordTag, Role } from './tags.ts';
import type { ItlVerdict } from './verifyItl.ts';

const TABLE_HEADING = ['BYTEPOS TAG LENGTH VALUE', '------- --- ------ -----'];

// Spellings as CUCM prints them, typos included (DIGESTALGORTITHM, SIGNATUREALGORTITHM).
const HEADER_NAMES: Readonly<Record<number, string>> = {
  [HeaderTag.SIGNER_ID]: 'SIGNERID',
  [HeaderTag.SIGNER_NAME]: 'SIGNERNAME',
  [HeaderTag.SERIAL_NUMBER]: 'SERIALNUMBER',
  [HeaderTag.CA_NAME]: 'CANAME',
  [HeaderTag.SIGNATURE_INFO]: 'SIGNATUREINFO',
  [HeaderTag.DIGEST_ALGORITHM]: 'DIGESTALGORTITHM',
  [HeaderTag.SIGNATURE_ALGORITHM_INFO]: 'SIGNATUREALGOINFO',
  [HeaderTag.SIGNATURE_ALGORITHM]: 'SIGNATUREALGORTITHM',
  [HeaderTag.SIGNATURE_MODULUS]: 'SIGNATUREMODULUS',
  [HeaderTag.SIGNATURE]: 'SIGNATURE',
  [HeaderTag.FILENAME]: 'FILENAME',
  [HeaderTag.TIMESTAMP]: 'TIMESTAMP',
  [HeaderTag.SIGNER_VERSION]: 'SIGNERVERSION',
};

const RECORD_NAMES: Readonly<Record<number, string>> = {
  [RecordTag.RECORD_LENGTH]: 'RECORDLENGTH',
  [RecordTag.DNS_NAME]: 'DNSNAME',
  [RecordTag.SUBJECT_NAME]: 'SUBJECTNAME',
  [RecordTag.FUNCTION]: 'FUNCTION',
  [RecordTag.ISSUER_NAME]: 'ISSUERNAME',
  [RecordTag.SERIAL_NUMBER]: 'SERIALNUMBER',
  [RecordTag.PUBLIC_KEY]: 'PUBLICKEY',
  [RecordTag.SIGNATURE]: 'SIGNATURE',
  [RecordTag.CERTIFICATE]: 'CERTIFICATE',
  [RecordTag.IP_ADDRESS]: 'IPADDRESS',
  [RecordTag.CERTIFICATE_HASH]: 'CERTHASH',
  [RecordTag.HASH_ALGORITHM]: 'HASH ALGORITHM',
};

/** One table row; an empty value is left out, as CUCM does for `2 DNSNAME 2`. */
function row(tag: number, name: string | undefined, length: number, value?: string): string {
  return [String(tag), name ?? `TAG${tag}`, String(length), value]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
}

// The header table leaves out what CUCM leaves out: VERSION and HEADERLENGTH (printed above it) and padding.
function headerLines(element: HeaderElement): string[] {
  if (element.kind === 'padding') return [];
  if (element.kind === 'group') return [row(element.tag, HEADER_NAMES[element.tag], 2, String(element.length))];
  const { tag, value } = element;
  const name = HEADER_NAMES[tag];
  switch (tag) {
    case HeaderTag.VERSION:
    case HeaderTag.HEADER_LENGTH:
      return [];
    case HeaderTag.SIGNER_NAME:
    case HeaderTag.CA_NAME:
      return [row(tag, name, value.length, cString(value))];
    case HeaderTag.SERIAL_NUMBER:
      return [row(tag, name, value.length, colonHex(value))];
    case HeaderTag.SIGNATURE:
      return [row(tag, name, value.length), ...signatureDump(value)];
    case HeaderTag.SIGNER_VERSION:
      return [row(tag, name, value.length, Array.from(value).join('.'))];
    default:
      return [row(tag, name, value.length)];
  }
}

function recordElementLines({ tag, value }: RecordElement, kind: FileKind): string[] {
  const name = RECORD_NAMES[tag];
  switch (tag) {
    case RecordTag.RECORD_LENGTH:
      return [row(tag, name, value.length, String(uint(value)))];
    case RecordTag.DNS_NAME:
    case RecordTag.SUBJECT_NAME:
    case RecordTag.ISSUER_NAME:
      return [row(tag, name, value.length, cString(value))];
    case RecordTag.FUNCTION:
      return [row(tag, name, value.length, roleName(uint(value)))];
    case RecordTag.SERIAL_NUMBER:
      return [row(tag, name, value.length, colonHex(value))];
    case RecordTag.CERTIFICATE:
      // CUCM shows the certificate's SHA-1, not the certificate.
      return [row(tag, name, value.length, spacedHex(Buffer.from(hashHex('sha1', value), 'hex'))), '(SHA1 Hash HEX)'];
    case RecordTag.IP_ADDRESS:
      // `show ctl` prints `10 IPADDRESS 4` without the address (10.0 and 10.5 listings); the
      // address is in `--json`. Outside a CTL, where CUCM writes no IPADDRESS, it is printed.
      return [row(tag, name, value.length, kind === 'ctl' ? undefined : ipAddressText(value))];
    case RecordTag.CERTIFICATE_HASH:
      return [row(tag, name, value.length, spacedHex(value))];
    case RecordTag.HASH_ALGORITHM:
      return [row(tag, name, value.length, hashAlgorithmName(uint(value)))];
    default:
      return [row(tag, name, value.length)];
  }
}

function recordLines(record: ItlRecord, index: number, signerIndex: number, kind: FileKind): string[] {
  const word = kind.toUpperCase();
  const lines = [
    `${word} Record #:${index + 1}`,
    '----',
    ...TABLE_HEADING,
    ...record.elements.flatMap((element) => recordElementLines(element, kind)),
  ];
  if (record.role === Role.SAST) {
    lines.push(`This etoken was ${index === signerIndex ? '' : 'not '}used to sign the ${word} file.`);
  }
  return lines;
}

function verdictLine(verdict: ItlVerdict, kind: FileKind): string {
  const reason = verdictReason(verdict, kind);
  const word = kind.toUpperCase();
  return reason === undefined
    ? `The ${word} file was verified successfully.`
    : `The ${word} file could not be verified: ${reason}.`;
}

/**
 * The lines CUCM's `show itl` prints for a file: checksums, length, date, the header table,
 * one table per record in file order, which etoken signed it, and the verification result.
 * A file whose header FILENAME is `CTLFile.tlv` gets `show ctl`'s words instead (`CTL file`,
 * `Parse CTL File`, `CTL Record #:n`, `This etoken was used to sign the CTL file.`).
 *
 * The "last modified" date is the file's TIMESTAMP, not a file system time (this function sees
 * only bytes, and a copied file keeps its TIMESTAMP), so the output is the same on every run.
 * Dates are printed in UTC. Pure.
 */
export function formatShowItl(bytes: Uint8Array, file: ItlFile, verdict: ItlVerdict): string[] {
  const kind = fileKind(file);
  const word = kind.toUpperCase();
  const modified = file.timestamp === undefined ? '(unknown: the file has no TIMESTAMP)' : cucmDate(file.timestamp);
  const signerIndex = signerIndexOf(file, verdict);
  return [
    `The checksum value of the ${word} file:`,
    `${hashHex('md5', bytes)}(MD5)`,
    `${hashHex('sha1', bytes)}(SHA1)`,
    `Length of ${word} file: ${bytes.length}`,
    `The ${word} File was last modified on ${modified}`,
    `Parse ${word} File`,
    '----------------',
    `Version: ${file.version}`,
    `HeaderLength: ${file.headerLength} (BYTES)`,
    ...TABLE_HEADING,
    ...file.header.flatMap(headerLines),
    ...file.records.flatMap((record, index) => recordLines(record, index, signerIndex, kind)),
    verdictLine(verdict, kind),
  ];
}
