import { hashHex } from '../crypto/pkcs1.ts';
import { hex } from './byteReader.ts';
import type { ItlFile, ItlRecord } from './itlTypes.ts';
import {
  fileKind,
  hashAlgorithmName,
  ipAddressText,
  roleName,
  signerIndexOf,
  verdictReason,
  type FileKind,
} from './showItlFields.ts';
import type { ItlVerdict } from './verifyItl.ts';

/** One record of `show-itl --json`; hex values are lowercase without separators. */
export interface ShowItlRecordJson {
  /** 1-based, as in `ITL Record #:n` (`CTL Record #:n`). */
  index: number;
  /** Byte offset of the record in the file. */
  offset: number;
  length: number;
  role: number;
  roleName: string;
  subject: string;
  issuer: string;
  serial: string;
  /** The DNSNAME text, when the record has a non-empty one (CTL records name their node; ITL records do not). */
  dnsName?: string;
  /** The IPADDRESS value (dotted IPv4 for 4 bytes), when the record has one. */
  ipAddress?: string;
  /** Length of the PUBLICKEY value in bytes (0 when the record has none). */
  publicKeyLength: number;
  /** SHA-1 of the CERTIFICATE value, when the record carries the certificate. */
  certificateSha1?: string;
  /** The CERTHASH value, when the record carries only the certificate's hash. */
  certHash?: string;
  /** True for the SAST record the header names as signer (its serial and issuer), whether or not the signature holds. */
  signedTheFile: boolean;
}

/** What `show-itl --json` prints: the facts of `show itl` as JSON values. */
export interface ShowItlJson {
  /** `ctl` when the header FILENAME is `CTLFile.tlv` (the text form is then `show ctl`'s), else `itl`. */
  kind: FileKind;
  md5: string;
  sha1: string;
  length: number;
  version: string;
  headerLength: number;
  signerVersion?: string;
  signer: { name: string; serial: string; issuer: string };
  /** `SHA-1`, `SHA-256`, `SHA-512`, or the code when unknown. */
  digestAlgorithm: string;
  /** ISO 8601 UTC, or null when the file has no TIMESTAMP. */
  timestamp: string | null;
  filename: string | null;
  verified: boolean;
  /** Why the file did not verify; absent when it did. */
  reason?: string;
  records: ShowItlRecordJson[];
}

function recordJson(record: ItlRecord, index: number, signerIndex: number): ShowItlRecordJson {
  return {
    index: index + 1,
    offset: record.offset,
    length: record.length,
    role: record.role,
    roleName: roleName(record.role),
    subject: record.subjectName,
    issuer: record.issuerName,
    serial: record.serial,
    ...(record.dnsName ? { dnsName: record.dnsName } : {}),
    ...(record.ipAddress ? { ipAddress: ipAddressText(record.ipAddress) } : {}),
    publicKeyLength: record.publicKey?.length ?? 0,
    ...(record.certificate ? { certificateSha1: hashHex('sha1', record.certificate) } : {}),
    ...(record.certHash ? { certHash: hex(record.certHash) } : {}),
    signedTheFile: index === signerIndex,
  };
}

/** The JSON form of `show itl` (of `show ctl` for a CTL) for a decoded file and its verdict. Pure. */
export function showItlJson(bytes: Uint8Array, file: ItlFile, verdict: ItlVerdict): ShowItlJson {
  const kind = fileKind(file);
  const signerIndex = signerIndexOf(file, verdict);
  const reason = verdictReason(verdict, kind);
  return {
    kind,
    md5: hashHex('md5', bytes),
    sha1: hashHex('sha1', bytes),
    length: bytes.length,
    version: file.version,
    headerLength: file.headerLength,
    ...(file.signerVersion !== undefined ? { signerVersion: file.signerVersion } : {}),
    signer: { name: file.signerName, serial: file.serial, issuer: file.caName },
    digestAlgorithm: hashAlgorithmName(file.digestAlgorithm),
    timestamp:
      file.timestamp === undefined ? null : new Date(file.timestamp * 1000).toISOString().replace('.000Z', 'Z'),
    filename: file.filename ?? null,
    verified: verdict.status === 'verified',
    ...(reason !== undefined ? { reason } : {}),
    records: file.records.map((record, index) => recordJson(record, index, signerIndex)),
  };
}
