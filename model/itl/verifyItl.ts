import { X509Certificate, createPublicKey, type KeyObject } from 'node:crypto';
import { verifySignature } from '../crypto/pkcs1.ts';
import { signedBytes } from './encodeItl.ts';
import type { ItlFile, ItlRecord } from './itlTypes.ts';
import { digestName, RecordTag, Role } from './tags.ts';

/** Why a file did or did not verify. */
export type ItlVerdict =
  | { status: 'verified'; signerIndex: number }
  | { status: 'invalid-signature'; signerIndex: number }
  | { status: 'no-signer' }
  | { status: 'unsupported-digest'; digest: number }
  | { status: 'unusable-key'; signerIndex: number };

/** Whether a decoded file's signature verifies with a given public key (false for a digest the format does not define). Pure. */
export function signatureVerifiesWith(bytes: Uint8Array, file: ItlFile, key: KeyObject): boolean {
  const digest = digestName(file.digestAlgorithm);
  return !!digest && verifySignature(key, digest, signedBytes(bytes, file), file.signature);
}

/**
 * The signer's record: a SAST record whose serial and issuer match the header's. A record without a
 * SERIALNUMBER (the certificate-less records of a non-secure CTL) names no certificate, so it never
 * matches, not even a header whose serial is empty. Pure.
 */
export function findSigner(file: ItlFile): number {
  return file.records.findIndex(
    (r) =>
      r.role === Role.SAST &&
      r.serial === file.serial &&
      r.issuerName === file.caName &&
      r.elements.some((e) => e.tag === RecordTag.SERIAL_NUMBER),
  );
}

/** The public key of a certificate (DER), or undefined when the certificate or its key does not read (a damaged record). Pure. */
export function certificateKey(der: Uint8Array): KeyObject | undefined {
  try {
    return new X509Certificate(der).publicKey;
  } catch {
    return undefined;
  }
}

/** The public key a record carries: its certificate's, else its PUBLICKEY (RSAPublicKey DER); undefined if neither parses. */
export function recordPublicKey(record: ItlRecord): KeyObject | undefined {
  if (record.certificate) return certificateKey(record.certificate);
  try {
    if (record.publicKey) return createPublicKey({ key: Buffer.from(record.publicKey), format: 'der', type: 'pkcs1' });
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Verifies a decoded file's signature with the key of its signer record (found by the header's
 * serial and issuer among the SAST records). Pure.
 */
export function verifyItl(bytes: Uint8Array, file: ItlFile): ItlVerdict {
  if (!digestName(file.digestAlgorithm)) return { status: 'unsupported-digest', digest: file.digestAlgorithm };
  const signerIndex = findSigner(file);
  if (signerIndex === -1) return { status: 'no-signer' };
  const key = recordPublicKey(file.records[signerIndex]!);
  if (!key) return { status: 'unusable-key', signerIndex };
  const ok = signatureVerifiesWith(bytes, file, key);
  return { status: ok ? 'verified' : 'invalid-signature', signerIndex };
}
