import { decodeItl } from '../itl/decodeItl.ts';
import { hashHex } from '../crypto/pkcs1.ts';
import { findSigner } from '../itl/verifyItl.ts';
import { Role } from '../itl/tags.ts';
import type { ItlRecord } from '../itl/itlTypes.ts';

/** A record as the trust rules see it. */
export interface RecordSummary {
  role: number;
  subject: string;
  issuer: string;
  serial: string;
  /** SHA-1 of the certificate: of the DER when carried, else the CERTHASH value. */
  certSha1: string;
  /** Base64 DER, when the record carries the whole certificate. */
  cert?: string;
}

/** An ITL built by the model: its real bytes and a summary decoded from them once. */
export interface StoredItl {
  sha1: string;
  md5: string;
  length: number;
  /** Base64 of the file. */
  bytes: string;
  /**
   * Why it exists: a TFTP node's normal build, the reset ITL, an attacker's, the empty rollback ITL
   * (A25), or (a CTLFile.tlv) the cluster's CTL.
   */
  origin: 'normal' | 'reset' | 'forged' | 'rollback' | 'ctl';
  /** A copy of a genuine file whose signature was broken on the way (`tftp.corrupt`): it verifies with no key. */
  corrupted?: true;
  /** The empty rollback ITL (A25), also when `utils itl reset` re-signed it (§17.2): a phone holding it accepts any ITL (R0e). */
  rollbackForm?: true;
  node: string;
  signer: { subject: string; serial: string; issuer: string; recordIndex: number };
  records: RecordSummary[];
}

function summarise(record: ItlRecord): RecordSummary {
  const certSha1 = record.certificate
    ? hashHex('sha1', record.certificate)
    : Buffer.from(record.certHash ?? []).toString('hex');
  const summary: RecordSummary = {
    role: record.role,
    subject: record.subjectName,
    issuer: record.issuerName,
    serial: record.serial,
    certSha1,
  };
  if (record.certificate) summary.cert = Buffer.from(record.certificate).toString('base64');
  return summary;
}

/** Decodes freshly built bytes into a stored ITL. Pure. */
export function storeItl(bytes: Uint8Array, origin: StoredItl['origin'], node: string): StoredItl {
  const file = decodeItl(bytes);
  const recordIndex = findSigner(file);
  return {
    sha1: hashHex('sha1', bytes),
    md5: hashHex('md5', bytes),
    length: bytes.length,
    bytes: Buffer.from(bytes).toString('base64'),
    origin,
    node,
    signer: { subject: file.signerName, serial: file.serial, issuer: file.caName, recordIndex },
    records: file.records.map(summarise),
  };
}

/** A copy of a stored ITL with one byte of its signature flipped: the same records, a signature no key verifies. Pure. */
export function corruptedCopy(itl: StoredItl): StoredItl {
  const bytes = Buffer.from(itl.bytes, 'base64');
  const file = decodeItl(bytes);
  // The SIGNATURE element: tag, two length bytes, then the value; flip its last byte.
  const last = file.signatureOffset + 3 + file.signature.length - 1;
  bytes[last] = bytes[last]! ^ 0xff;
  return { ...storeItl(bytes, itl.origin, itl.node), corrupted: true };
}

/** Records of a role. Pure. */
export function recordsOf(itl: StoredItl, role: number): RecordSummary[] {
  return itl.records.filter((r) => r.role === role);
}

/** The ITLRECOVERY SAST record, if the ITL has one. Pure. */
export function itlRecoveryRecord(itl: StoredItl): RecordSummary | undefined {
  return itl.records.find((r) => r.role === Role.SAST && /(^|;|,)CN=ITLRECOVERY_/.test(r.subject));
}

/** SHA-1 hashes of the TVS certificates an ITL lets a phone open TLS to. Pure. */
export function tvsHashes(itl: StoredItl): string[] {
  return recordsOf(itl, Role.TVS).map((r) => r.certSha1);
}
